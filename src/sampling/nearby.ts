/**
 * The interpolating sampler of ANN-DT (Schmitz, Aldrich & Gouws 1999, "ANN-DT: an algorithm for
 * extraction of decision trees from artificial neural networks", IEEE TNN 10(6)): new rows are
 * drawn *around the training rows*, each inside the neighbourhood of one training row whose size is
 * the distance to its nearest training neighbours, so that the drawn rows fill the gaps between
 * training rows and keep the dependence between columns (unlike independent marginals, which put
 * rows where the data never goes and where the network's answers mean little).
 *
 * A drawn row: pick a training row `x` (the centre; with `weights`, in proportion to them), pick one
 * of its `k` nearest training rows `z`, then for numeric columns move `x` to a uniformly random
 * point of the ball of radius `d(x, z)` around it (distances in units of each column's standard
 * deviation) and for categorical columns take `z`'s value with probability 1/2. Integer-valued
 * columns (every training value an integer) stay integers (the drawn value is rounded), so a
 * network is asked about values it could see.
 *
 * With a region (a conjunction of rule conditions), centres are the training rows inside it and
 * draws outside it are redrawn; after `maxTries` the centre itself is taken, so every drawn row is
 * inside the region.
 *
 * Written by hand: no installed library does neighbourhood sampling over mixed columns.
 */
import { rowCount, rowReader, type RowsLike } from '../data/table.js';
import type { Feature, Row, Value } from '../data/types.js';
import type { ConditionT } from '../rules/schema.js';
import { evalConjunction, featureIndex } from '../rules/evaluate.js';
import { InputError } from '../util/errors.js';
import type { Rng } from '../util/rng.js';
import { cumsum, pickCumulative } from './stats.js';

/** A fitted neighbourhood sampler (plain data). */
export interface Nearby {
  features: Feature[];
  /** Centres: complete training rows (subsampled to `maxRows`). */
  rows: Row[];
  /** Per centre, its `k` nearest other centres (indices into `rows`, nearest first). */
  neighbours: Int32Array[];
  /** Per centre and neighbour, the distance (standardised units). */
  distances: Float64Array[];
  /** Standard deviation of each numeric column (1 for categorical and constant columns). */
  scale: Float64Array;
  /** Numeric columns whose training values are all integers. */
  integer: boolean[];
}

/** Options of {@link fitNearby}. */
export interface FitNearbyOptions {
  /** Nearest neighbours a drawn row may move towards (default 1, the nearest). */
  k?: number;
  /** At most this many centres, chosen at random (default 4000; the neighbour search is quadratic in them). */
  maxRows?: number;
}

/**
 * Fits the sampler to complete training rows (no missing values: fill them first, e.g. with
 * `trainingRows`).
 *
 * @param rows complete rows aligned with `features`
 * @param rng used only to subsample more than `maxRows` rows
 * @throws InputError when there are no rows or a row has a missing value
 * @example
 * const nb = fitNearby(trainingRows(train, rng), train.schema.features, rng);
 * const rows = sampleNearby(nb, 1000, rng);
 */
export function fitNearby(rows: RowsLike, features: readonly Feature[], rng: Rng, opts: FitNearbyOptions = {}): Nearby {
  const k = opts.k ?? 1;
  const maxRows = opts.maxRows ?? 4000;
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a positive integer, got ${k}`);
  const total = rowCount(rows);
  if (total === 0) throw new InputError('the neighbourhood sampler needs at least one training row');
  // The centres' indices shuffled (the same permutation a shuffle of the rows would make), then read.
  let pick = Array.from({ length: total }, (_, i) => i);
  if (total > maxRows) pick = rng.shuffle(pick).slice(0, maxRows);
  const at = rowReader(rows);
  const centres = pick.map((i) => at(i));
  const d = features.length;
  const n = centres.length;
  const scale = new Float64Array(d).fill(1);
  const integer = features.map(() => false);
  features.forEach((f, j) => {
    if (f.type !== 'numeric') return;
    let s = 0;
    let q = 0;
    let allInt = true;
    for (const r of centres) {
      const v = r[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`the neighbourhood sampler needs complete rows; column "${f.name}" has a missing value`);
      s += v;
      q += v * v;
      if (!Number.isInteger(v)) allInt = false;
    }
    const mean = s / n;
    const sd = Math.sqrt(Math.max(0, q / n - mean * mean));
    scale[j] = sd > 0 ? sd : 1;
    integer[j] = allInt;
  });
  // Standardised numeric values, category codes, for the brute-force neighbour search.
  const num = features.map((f, j) => (f.type === 'numeric' ? Float64Array.from(centres, (r) => (r[j] as number) / scale[j]) : null));
  const cat = features.map((f, j) => (f.type === 'categorical' ? centres.map((r) => r[j]) : null));
  const kk = Math.min(k, n - 1);
  const neighbours: Int32Array[] = [];
  const distances: Float64Array[] = [];
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    dist.fill(0);
    for (let j = 0; j < d; j++) {
      const col = num[j];
      if (col) {
        const xi = col[i];
        for (let t = 0; t < n; t++) {
          const z = col[t] - xi;
          dist[t] += z * z;
        }
      } else {
        const c = cat[j]!;
        const xi = c[i];
        for (let t = 0; t < n; t++) if (c[t] !== xi) dist[t] += 1;
      }
    }
    dist[i] = Infinity;
    // The kk smallest by partial selection (kk is small).
    const nb = new Int32Array(kk);
    const nd = new Float64Array(kk);
    let filled = 0;
    for (let t = 0; t < n; t++) {
      if (t === i) continue;
      const v = dist[t];
      // Insert into the sorted list: grow it while short of kk, else replace the farthest.
      if (filled < kk) filled++;
      else if (!(v < nd[kk - 1])) continue;
      let p = filled - 1;
      while (p > 0 && nd[p - 1] > v) {
        nd[p] = nd[p - 1];
        nb[p] = nb[p - 1];
        p--;
      }
      nd[p] = v;
      nb[p] = t;
    }
    neighbours.push(nb);
    distances.push(nd.map(Math.sqrt));
  }
  return { features: features.slice(), rows: centres, neighbours, distances, scale, integer };
}

/** Options of {@link sampleNearby}. */
export interface SampleNearbyOptions {
  /** Rows must satisfy this conjunction (rule semantics of src/rules/schema.ts). */
  region?: readonly ConditionT[];
  /** Weight of each centre (aligned with `nb.rows`; default equal): where to draw more. */
  weights?: ArrayLike<number>;
  /** Redraws per row before the centre itself is taken (default 20). */
  maxTries?: number;
  /** Scale of the neighbourhood: the ball's radius is this times the neighbour's distance (default 1). */
  spread?: number;
  /** When given, receives the centre (index into `nb.rows`) each drawn row was drawn around. */
  centres?: number[];
}

/**
 * `n` rows drawn around the training rows (see the module comment).
 *
 * @throws InputError when `region` holds for no training row (nothing to draw around)
 * @example
 * sampleNearby(nb, 500, rng, { region: [{ type: 'gt', feature: 'age', threshold: 40 }] });
 */
export function sampleNearby(nb: Nearby, n: number, rng: Rng, opts: SampleNearbyOptions = {}): Row[] {
  const { features, rows, neighbours, distances, scale, integer } = nb;
  const region = opts.region ?? [];
  const maxTries = opts.maxTries ?? 20;
  const index = featureIndex({ features });
  const inside = (r: Row) => region.length === 0 || evalConjunction(region, r, index);
  const ok: number[] = [];
  for (let i = 0; i < rows.length; i++) if (inside(rows[i])) ok.push(i);
  if (ok.length === 0) throw new InputError('no training row lies in the region to sample around');
  const w = ok.map((i) => (opts.weights ? Math.max(0, opts.weights[i]) : 1));
  const cum = cumsum(w.some((x) => x > 0) ? w : w.map(() => 1));
  const numeric = features.map((f) => f.type === 'numeric');
  const nNum = numeric.filter(Boolean).length;
  const out: Row[] = new Array(n);
  for (let s = 0; s < n; s++) {
    const c = ok[pickCumulative(cum, rng.uniform())];
    const x = rows[c];
    let row: Value[] | null = null;
    for (let t = 0; t < maxTries && !row; t++) {
      const cand = drawAround(x, c);
      if (inside(cand)) row = cand;
    }
    out[s] = row ?? x.slice();
    opts.centres?.push(c);
  }
  return out;

  function drawAround(x: Row, c: number): Value[] {
    const nbs = neighbours[c];
    if (nbs.length === 0) return x.slice();
    const pick = rng.int(nbs.length);
    const z = rows[nbs[pick]];
    const radius = distances[c][pick] * (opts.spread ?? 1);
    const row = x.slice();
    if (nNum > 0 && radius > 0) {
      // Uniform in the ball: a Gaussian direction, radius r · u^(1/d).
      const dir = features.map((_, j) => (numeric[j] ? rng.normal() : 0));
      let norm = 0;
      for (const v of dir) norm += v * v;
      norm = Math.sqrt(norm) || 1;
      const r = radius * Math.pow(rng.uniform(), 1 / nNum);
      for (let j = 0; j < features.length; j++) {
        if (!numeric[j]) continue;
        let v = (x[j] as number) + (dir[j] / norm) * r * scale[j];
        if (integer[j]) v = Math.round(v);
        row[j] = v;
      }
    }
    for (let j = 0; j < features.length; j++) if (!numeric[j] && z[j] !== x[j] && rng.uniform() < 0.5) row[j] = z[j];
    return row;
  }
}
