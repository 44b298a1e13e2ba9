/**
 * The generative sampler of model-extraction methods that query the network on new points (TREPAN:
 * Craven & Shavlik 1996; ANN-DT: Schmitz, Aldrich & Gouws 1999): per-feature marginals estimated on
 * the training data (a Gaussian kernel density for numeric features, frequencies for categorical
 * ones), sampled independently, optionally restricted to a region given as a conjunction of rule
 * conditions.
 *
 * Region sampling is exact for atomic conditions: since features are drawn independently, the
 * marginal of each feature is truncated to the set its conditions allow (numeric: a kernel centre
 * chosen with probability proportional to its kernel mass inside the interval, then a truncated
 * normal by inverse CDF; categorical: the allowed categories renormalised). M-of-N conditions are
 * met by rejection (redrawing only the features they mention), and after a bounded number of tries
 * by forcing m random members true; every row is checked with `evalConjunction`.
 */
import { interquartileRange, sampleStandardDeviation } from 'simple-statistics';
import { InputError } from '../util/errors.js';
import { createRng, DEFAULT_SEED, type Rng } from '../util/rng.js';
import type { Dataset, Row, Value } from '../data/types.js';
import type { ConditionT, MofNConditionT } from '../rules/schema.js';
import { evalCondition, evalConjunction, featureIndex } from '../rules/evaluate.js';
import { renderCondition } from '../rules/render.js';
import { categoryFrequencies, cumsum, numericColumn, pickCumulative } from './stats.js';
import { logNormalMass, nextUp, truncatedNormalFromTails, truncationTails } from './normal.js';

export type MarginalFeature =
  | {
      name: string;
      type: 'numeric';
      /** Kernel centres (training values, subsampled to `maxPoints`), ascending. */
      points: number[];
      /** Gaussian kernel standard deviation (0 for a constant column). */
      bandwidth: number;
    }
  | { name: string; type: 'categorical'; categories: string[]; frequencies: number[] };

/** Per-feature marginal distributions of the training data (plain JSON). */
export interface Marginals {
  features: MarginalFeature[];
}

export interface FitMarginalsOptions {
  /** Kernel bandwidth: Silverman's rule of thumb (default) or a fixed value for every numeric feature. */
  bandwidth?: 'silverman' | number;
  /** At most this many kernel centres per numeric feature, drawn at random (default 10000). */
  maxPoints?: number;
  /** Seed of the subsampling of kernel centres (default 42). */
  seed?: number;
}

/**
 * Silverman's rule of thumb for a Gaussian kernel: `0.9 · min(sd, IQR/1.34) · n^(-1/5)`, using the
 * standard deviation alone when the IQR is 0; 0 for a constant column.
 *
 * @example
 * silvermanBandwidth([1, 2, 3, 4, 5]); // 0.9 * min(1.58, 2/1.34) * 5^-0.2 = 0.9816...
 */
export function silvermanBandwidth(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const sd = sampleStandardDeviation(xs as number[]);
  const iqr = interquartileRange(xs as number[]);
  const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd;
  return 0.9 * spread * Math.pow(xs.length, -0.2);
}

/**
 * Estimates the marginal distribution of every feature of `ds` from its present values.
 *
 * @param ds training data.
 * @param opts bandwidth rule, maximum number of kernel centres, subsampling seed.
 * @throws InputError naming a numeric column without any value.
 * @example
 * const m = fitMarginals(train, { maxPoints: 5000 });
 */
export function fitMarginals(ds: Dataset, opts: FitMarginalsOptions = {}): Marginals {
  const maxPoints = opts.maxPoints ?? 10_000;
  if (!(Number.isInteger(maxPoints) && maxPoints >= 1)) throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  const bw = opts.bandwidth ?? 'silverman';
  if (bw !== 'silverman' && !(typeof bw === 'number' && bw >= 0 && Number.isFinite(bw))) {
    throw new RangeError(`bandwidth must be 'silverman' or a number >= 0, got ${String(bw)}`);
  }
  const rng = createRng(opts.seed ?? DEFAULT_SEED);
  return {
    features: ds.schema.features.map((f, j): MarginalFeature => {
      if (f.type === 'categorical') {
        return { name: f.name, type: 'categorical', categories: [...f.categories], frequencies: categoryFrequencies(ds, j, f.categories) };
      }
      const xs = numericColumn(ds, j);
      if (xs.length === 0) throw new InputError('has no values to estimate its distribution from', { file: ds.source, column: f.name });
      const bandwidth = bw === 'silverman' ? silvermanBandwidth(xs) : bw;
      let points = xs;
      if (xs.length > maxPoints) points = rng.shuffle(xs.slice()).slice(0, maxPoints);
      else points = xs.slice();
      points.sort((a, b) => a - b);
      return { name: f.name, type: 'numeric', points, bandwidth };
    }),
  };
}

/** What the conditions on one feature allow: an interval (lo, hi] or a set of categories. */
type Allowed = { kind: 'num'; lo: number; hi: number } | { kind: 'cat'; ok: boolean[] };

type Constraints = Allowed[];

/** Intersects `a` with atomic condition `c` (on a feature of marginal `f`); a new object. */
function intersect(a: Allowed, c: Exclude<ConditionT, MofNConditionT>, f: MarginalFeature): Allowed {
  const numericCond = c.type === 'le' || c.type === 'gt' || c.type === 'interval';
  if (numericCond !== (f.type === 'numeric')) {
    throw new InputError(
      `condition ${renderCondition(c)} is ${numericCond ? 'numeric' : 'categorical'} but the feature is ${f.type}`,
      { column: f.name },
    );
  }
  if (a.kind === 'num') {
    let { lo, hi } = a;
    if (c.type === 'le') hi = Math.min(hi, c.threshold);
    else if (c.type === 'gt') lo = Math.max(lo, c.threshold);
    else if (c.type === 'interval') {
      if (c.low !== null) lo = Math.max(lo, c.low);
      if (c.high !== null) hi = Math.min(hi, c.high);
    }
    return { kind: 'num', lo, hi };
  }
  const cats = (f as Extract<MarginalFeature, { type: 'categorical' }>).categories;
  const ok = a.ok.slice();
  for (let k = 0; k < cats.length; k++) {
    if (c.type === 'eq') ok[k] &&= cats[k] === c.value;
    else if (c.type === 'neq') ok[k] &&= cats[k] !== c.value;
    else if (c.type === 'in') ok[k] &&= c.values.includes(cats[k]);
    else if (c.type === 'notIn') ok[k] &&= !c.values.includes(cats[k]);
  }
  return { kind: 'cat', ok };
}

function isEmpty(a: Allowed): boolean {
  return a.kind === 'num' ? !(a.hi > a.lo) || nextUp(a.lo) > a.hi : !a.ok.some(Boolean);
}

function allowedKey(j: number, a: Allowed): string {
  return a.kind === 'num' ? `${j}:${a.lo}:${a.hi}` : `${j}:${a.ok.map((b) => (b ? 1 : 0)).join('')}`;
}

/** A draw of one feature's value under its constraint. */
type FeatureSampler = (rng: Rng) => Value;

function numericSampler(f: Extract<MarginalFeature, { type: 'numeric' }>, a: { lo: number; hi: number }): FeatureSampler {
  const pts = f.points;
  const { lo, hi } = a;
  const clamp = (x: number) => (x > lo ? (x <= hi ? x : hi) : nextUp(lo));
  const unbounded = lo === -Infinity && hi === Infinity;
  const h0 = f.bandwidth;
  if (unbounded) {
    return h0 > 0 ? (rng) => pts[rng.int(pts.length)] + h0 * rng.normal() : (rng) => pts[rng.int(pts.length)];
  }
  let h = h0;
  if (h === 0) {
    // A constant (or point-mass) column: draw among the centres inside the interval...
    const inside = pts.filter((c) => c > lo && c <= hi);
    if (inside.length) return (rng) => inside[rng.int(inside.length)];
    // ...or, when none is, stay as close to the data as the region allows (a narrow kernel).
    const scale = Math.max(...pts.map(Math.abs), ...[lo, hi].filter(Number.isFinite).map(Math.abs));
    h = Math.max(1e-6, 1e-3 * scale);
  }
  const P = pts.length;
  const za = new Float64Array(P);
  const zb = new Float64Array(P);
  const t1 = new Float64Array(P);
  const t2 = new Float64Array(P);
  let weights = new Array<number>(P);
  let total = 0;
  for (let k = 0; k < P; k++) {
    za[k] = (lo - pts[k]) / h;
    zb[k] = (hi - pts[k]) / h;
    [t1[k], t2[k]] = truncationTails(za[k], zb[k]);
    weights[k] = Math.max(0, Math.abs(t1[k] - t2[k]));
    total += weights[k];
  }
  if (!(total > 0)) {
    // Every kernel's mass inside the interval underflows: weigh by log-masses instead.
    const logs = pts.map((_, k) => logNormalMass(za[k], zb[k]));
    const top = Math.max(...logs);
    weights = logs.map((l) => Math.exp(l - top));
  }
  const cum = cumsum(weights);
  return (rng) => {
    const k = pickCumulative(cum, rng.uniform());
    return clamp(pts[k] + h * truncatedNormalFromTails(rng.uniform(), za[k], zb[k], t1[k], t2[k]));
  };
}

function categoricalSampler(f: Extract<MarginalFeature, { type: 'categorical' }>, ok: boolean[]): FeatureSampler {
  let w = f.frequencies.map((p, k) => (ok[k] ? p : 0));
  if (!(w.reduce((s, x) => s + x, 0) > 0)) w = ok.map((b) => (b ? 1 : 0));
  const cum = cumsum(w);
  return (rng) => f.categories[pickCumulative(cum, rng.uniform())];
}

/** Options of {@link sampleMarginals}. */
export interface SampleMarginalsOptions {
  /** Redraws per row before M-of-N conditions are forced (default 200). */
  maxTries?: number;
}

/**
 * `n` new rows drawn independently per feature from the marginals (numeric: a random kernel centre
 * plus Gaussian noise of the bandwidth; categorical: by frequency). With `region`, every row
 * satisfies the conjunction of its conditions (atomic and M-of-N; see the file comment for how).
 *
 * @param m marginals ({@link fitMarginals}).
 * @param n number of rows.
 * @param rng seeded generator (same state, same rows).
 * @param region conditions on the features of `m` (rule semantics of src/rules/schema.ts).
 * @param opts `maxTries` for M-of-N rejection.
 * @throws InputError when the region is empty (conditions on a feature exclude every value, an M-of-N
 *   test asks for more members than it has, or no row satisfying the M-of-N tests can be found), or
 *   names a feature the marginals lack, or a condition of the wrong type for its feature.
 * @example
 * const rows = sampleMarginals(fitMarginals(train), 1000, createRng(42), [
 *   { type: 'gt', feature: 'petal_width', threshold: 1.75 },
 *   { type: 'mofn', m: 1, conditions: [{ type: 'le', feature: 'sepal_length', threshold: 6 }, { type: 'eq', feature: 'colour', value: 'red' }] },
 * ]);
 */
export function sampleMarginals(
  m: Marginals,
  n: number,
  rng: Rng,
  region: readonly ConditionT[] = [],
  opts: SampleMarginalsOptions = {},
): Row[] {
  const maxTries = opts.maxTries ?? 200;
  const feats = m.features;
  const index = featureIndex(m);
  const featureOf = (c: ConditionT): number => {
    if (c.type === 'mofn') return -1;
    const j = index.get(c.feature);
    if (j === undefined) {
      throw new InputError(`the region names feature "${c.feature}", which the data lacks; features: ${feats.map((f) => f.name).join(', ')}`);
    }
    return j;
  };
  const unconstrained = (f: MarginalFeature): Allowed =>
    f.type === 'numeric' ? { kind: 'num', lo: -Infinity, hi: Infinity } : { kind: 'cat', ok: f.categories.map(() => true) };

  // Atomic conditions of the conjunction, intersected per feature.
  const base: Constraints = feats.map(unconstrained);
  const mofns: MofNConditionT[] = [];
  const mofnFeatures = new Set<number>();
  const visit = (c: ConditionT) => {
    if (c.type === 'mofn') {
      if (c.m > c.conditions.length) {
        throw new InputError(`the region is empty: an M-of-N test asks for ${c.m} of ${c.conditions.length} conditions`);
      }
      c.conditions.forEach(visit);
      return;
    }
    const j = featureOf(c);
    mofnFeatures.add(j);
    intersect(unconstrained(feats[j]), c, feats[j]); // type check
  };
  for (const c of region) {
    if (c.type === 'mofn') {
      visit(c);
      mofns.push(c);
      continue;
    }
    const j = featureOf(c);
    base[j] = intersect(base[j], c, feats[j]);
  }
  base.forEach((a, j) => {
    if (isEmpty(a)) {
      const on = region.filter((c) => c.type !== 'mofn' && c.feature === feats[j].name).map((c) => renderCondition(c));
      throw new InputError(`the region is empty: no value satisfies ${on.join(' and ')}`, { column: feats[j].name });
    }
  });

  const cache = new Map<string, FeatureSampler>();
  const samplerFor = (j: number, a: Allowed): FeatureSampler => {
    const key = allowedKey(j, a);
    let s = cache.get(key);
    if (!s) {
      const f = feats[j];
      s = f.type === 'numeric' ? numericSampler(f, a as { lo: number; hi: number }) : categoricalSampler(f, (a as { ok: boolean[] }).ok);
      cache.set(key, s);
    }
    return s;
  };
  const baseSamplers = base.map((a, j) => samplerFor(j, a));
  const redraw = [...mofnFeatures].sort((a, b) => a - b);
  const holdsAll = (row: Row) => mofns.every((c) => evalCondition(c, row, index));

  /** Adds member `c` to constraints `cons` (a copy is made on change); null when that empties a feature. */
  const requireMember = (cons: Constraints, c: ConditionT): Constraints | null => {
    if (c.type === 'mofn') return force(cons, c);
    const j = featureOf(c);
    const a = intersect(cons[j], c, feats[j]);
    if (isEmpty(a)) return null;
    const out = cons.slice();
    out[j] = a;
    return out;
  };
  /** Makes m random members of `c` required, skipping members that conflict with `cons`. */
  const force = (cons: Constraints, c: MofNConditionT): Constraints | null => {
    const order = rng.shuffle(c.conditions.map((_, k) => k));
    let cur = cons;
    let picked = 0;
    for (const k of order) {
      const next = requireMember(cur, c.conditions[k]);
      if (next) {
        cur = next;
        if (++picked === c.m) return cur;
      }
    }
    return null;
  };

  const rows: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Value[] = new Array(feats.length);
    for (let j = 0; j < feats.length; j++) row[j] = baseSamplers[j](rng);
    if (mofns.length) {
      let ok = holdsAll(row);
      for (let t = 1; t < maxTries && !ok; t++) {
        for (const j of redraw) row[j] = baseSamplers[j](rng);
        ok = holdsAll(row);
      }
      for (let t = 0; t < maxTries && !ok; t++) {
        let cons: Constraints | null = base;
        for (const c of mofns) {
          cons = force(cons, c);
          if (!cons) break;
        }
        if (!cons) continue;
        for (const j of redraw) row[j] = samplerFor(j, cons[j])(rng);
        ok = holdsAll(row);
      }
      if (!ok) {
        throw new InputError(
          `the region looks empty: no row satisfying ${mofns.map((c) => renderCondition(c)).join(' and ')} found in ${2 * maxTries} tries`,
        );
      }
    }
    if (!evalConjunction(region, row, index)) {
      throw new Error(`internal: sampled row ${JSON.stringify(row)} violates the region ${JSON.stringify(region)}`);
    }
    rows[i] = row;
  }
  return rows;
}
