/**
 * The Anchors search (Ribeiro, Singh, Guestrin 2018, "Anchors: high-precision model-agnostic
 * explanations", Algorithms 1-2), independent of the data type: a beam search over conjunctions of
 * predicates, where KL-LUCB picks the best candidates of each size by precision with as few model
 * queries as possible, and the highest-coverage candidate whose precision is confidently above the
 * threshold wins.
 */
import { z } from 'zod';
import { parseOptions } from '../../util/options.js';
import { klLower, klUpper, lucbBeta } from './kl.js';

/** Draws labelled samples conditioned on anchors; what the search needs of the data. */
export interface AnchorSampler {
  /** Number of candidate predicates. */
  predicates: number;
  /**
   * For each request, `n` samples satisfying the anchor's predicates, and for each whether the
   * model gives the explained label (1) or not (0). All requests of one call share one model query.
   * A sampler drawing without replacement from a finite set of rows returns fewer than `n` once
   * that set is used up; the search then takes the anchor's estimate as final.
   */
  sample(requests: { anchor: readonly number[]; n: number }[]): Promise<Uint8Array[]>;
  /** Which predicates hold on each row of a fixed coverage sample (`rows × predicates`). */
  coverage: { holds: Uint8Array; rows: number };
}

/** Options of the search: names, types, defaults and allowed values. */
export const AnchorSearchOptionsSchema = z.strictObject({
  /** Precision threshold (default 0.95). */
  threshold: z.number().gt(0).max(1).default(0.95).describe('precision the anchor must reach'),
  /** Confidence parameter δ (default 0.1). */
  delta: z.number().gt(0).lt(1).default(0.1).describe('confidence parameter δ of the bandit'),
  /** Tolerance τ of the LUCB best-arm identification (default 0.15). */
  tau: z.number().gt(0).lt(1).default(0.15).describe('tolerance τ of the best-arm search'),
  /** Stop tolerance of the final precision check (default 0.05). */
  epsilonStop: z.number().min(0).max(1).default(0.05).describe('stop tolerance of the final precision check'),
  /** Candidates kept per size and extended to the next size (default 2). */
  beamSize: z.number().int().min(1).default(2).describe('candidates kept per anchor size'),
  /** Samples per bandit pull (default 10). */
  batchSize: z.number().int().min(1).default(10).describe('samples per bandit pull'),
  /** Largest anchor (default: every predicate). */
  maxAnchorSize: z.number().int().min(1).optional().describe('largest anchor (default: every column)'),
  /** Safety cap on samples drawn while confirming one candidate (default 20000). */
  maxConfirmSamples: z.number().int().min(1).default(20000).describe('cap on samples drawn while confirming one candidate'),
});

/** Options of {@link anchorBeam} (see {@link AnchorSearchOptionsSchema}); all optional. */
export type AnchorSearchOptions = z.input<typeof AnchorSearchOptionsSchema>;

/** The anchor found. */
export interface AnchorResult {
  /** Predicate indices in the order they were added. */
  anchor: number[];
  /** Estimated precision (share of conditional samples with the explained label) and its sample count. */
  precision: number;
  samples: number;
  /** Share of the coverage sample the anchor covers, and the covered count. */
  coverage: number;
  covered: number;
  /** Whether the precision bound cleared the threshold (false: best effort). */
  confident: boolean;
  /** KL lower and upper bounds on precision at confidence δ. */
  bounds: [number, number];
  /** Samples labelled by the model in total. */
  totalSamples: number;
}

interface TupleState {
  key: string;
  anchor: number[];
  n: number;
  positives: number;
  coverage: number;
  covered: number;
  /** The sampler returned fewer samples than asked: no more can be drawn under this anchor. */
  exhausted: boolean;
}

/**
 * Runs the Anchors beam search with KL-LUCB.
 *
 * @throws InputError for bad options (naming the option)
 * @example
 * const r = await anchorBeam(sampler, { threshold: 0.95 }); // r.anchor, r.precision, r.coverage
 */
export async function anchorBeam(sampler: AnchorSampler, opts: AnchorSearchOptions = {}): Promise<AnchorResult> {
  const { threshold, delta, tau, epsilonStop: epsStop, beamSize, batchSize: batch, maxAnchorSize, maxConfirmSamples: maxConfirm } = parseOptions(
    AnchorSearchOptionsSchema,
    opts,
    { method: 'anchors' },
  );
  const P = sampler.predicates;
  const maxSize = Math.min(P, maxAnchorSize ?? P);

  // Each candidate's precision is estimated only from samples drawn under it, so that the estimate
  // is that of the sampler's own conditional distribution (the reference also reuses samples of the
  // parent anchor that happen to satisfy the new predicate, which mixes in the data's correlations).
  let total = 0;
  const states = new Map<string, TupleState>();
  const keyOf = (a: readonly number[]) => [...a].sort((x, y) => x - y).join(',');
  const pull = async (tuples: TupleState[], n: number): Promise<void> => {
    const res = await sampler.sample(tuples.map((t) => ({ anchor: t.anchor, n })));
    res.forEach((positive, i) => {
      const t = tuples[i];
      if (positive.length < n) t.exhausted = true;
      t.n += positive.length;
      total += positive.length;
      for (const p of positive) t.positives += p;
    });
  };
  const cov = sampler.coverage;
  const coverageOf = (anchor: readonly number[]) => {
    let c = 0;
    for (let i = 0; i < cov.rows; i++) {
      let ok = true;
      for (const p of anchor) if (!cov.holds[i * P + p]) (ok = false);
      if (ok) c++;
    }
    return c;
  };

  const empty: TupleState = { key: '', anchor: [], n: 0, positives: 0, coverage: 1, covered: cov.rows, exhausted: false };
  states.set('', empty);
  await pull([empty], 1);
  {
    const mean = empty.positives / empty.n;
    const lb = klLower(mean, Math.log(1 / delta) / empty.n);
    if (lb > threshold - tau) return result(empty, true);
  }

  const bestOfSize: TupleState[][] = [[empty]];
  let bestCoverage = -1;
  let best: TupleState | null = null;
  for (let current = 1; current <= maxSize; current++) {
    // candidates: each kept anchor of the previous size plus one more predicate
    const tuples: TupleState[] = [];
    for (const prev of bestOfSize[current - 1]) {
      for (let p = 0; p < P; p++) {
        if (prev.anchor.includes(p)) continue;
        const anchor = [...prev.anchor, p];
        const key = keyOf(anchor);
        if (states.has(key)) continue;
        const covered = coverageOf(anchor);
        const t: TupleState = { key, anchor, n: 0, positives: 0, coverage: covered / cov.rows, covered, exhausted: false };
        states.set(key, t);
        tuples.push(t);
      }
    }
    const candidates = tuples.filter((t) => t.coverage > bestCoverage);
    if (candidates.length === 0) break;
    // the beam: the most precise candidates, extended at the next size
    const chosen = await lucb(candidates, Math.min(beamSize, candidates.length));
    bestOfSize.push(chosen);
    // the answer: of the candidates that reach the threshold, the one of highest coverage (checked
    // in decreasing coverage, each until its precision is decided at level δ, whatever the beam:
    // the beam only widens which candidates are looked at)
    const beta = Math.log(1 / delta);
    const byCoverage = candidates
      .map((t, i) => ({ t, i }))
      .sort((a, b) => b.t.coverage - a.t.coverage || a.i - b.i)
      .map((x) => x.t);
    for (const t of byCoverage) {
      if (t.coverage <= bestCoverage) break;
      if (await confirm(t, beta)) {
        bestCoverage = t.coverage;
        best = t;
      }
    }
    if (bestCoverage === 1) break;
  }
  if (best) return result(best, true);
  // no anchor reached the threshold: the most precise of the kept candidates, flagged as such
  const kept = bestOfSize.slice(1).flat();
  if (kept.length === 0) return result(empty, false);
  const [top] = await lucb(kept, 1);
  return result(top, false);

  /** Samples under `t` until its precision is decided against the threshold; whether it clears it. */
  async function confirm(t: TupleState, beta: number): Promise<boolean> {
    let drawn = 0;
    for (;;) {
      const mean = t.positives / t.n;
      const lb = klLower(mean, beta / t.n);
      const ub = klUpper(mean, beta / t.n);
      const undecided = (mean >= threshold && lb < threshold - epsStop) || (mean < threshold && ub >= threshold + epsStop);
      if (!undecided || drawn >= maxConfirm || t.exhausted) break;
      await pull([t], batch);
      drawn += batch;
    }
    const mean = t.positives / t.n;
    return mean >= threshold && klLower(mean, beta / t.n) > threshold - epsStop;
  }

  async function lucb(arms: TupleState[], topN: number): Promise<TupleState[]> {
    const zero = arms.filter((a) => a.n === 0);
    if (zero.length) await pull(zero, 1);
    if (arms.length === topN) return arms;
    const ub = new Float64Array(arms.length);
    const lb = new Float64Array(arms.length);
    const means = () => arms.map((a) => a.positives / a.n);
    let t = 1;
    const bounds = () => {
      const m = means();
      const order = m.map((v, i) => i).sort((a, b) => m[a] - m[b] || a - b);
      const J = order.slice(order.length - topN);
      const notJ = order.slice(0, order.length - topN);
      const beta = lucbBeta(arms.length, t, delta);
      for (const f of notJ) ub[f] = klUpper(m[f], beta / arms[f].n);
      for (const f of J) lb[f] = klLower(m[f], beta / arms[f].n);
      let ut = notJ[0];
      for (const f of notJ) if (ub[f] > ub[ut]) ut = f;
      let lt = J[0];
      for (const f of J) if (lb[f] < lb[lt]) lt = f;
      return { ut, lt };
    };
    let { ut, lt } = bounds();
    let guard = 0;
    while (ub[ut] - lb[lt] > tau && guard++ < 10000) {
      const more = [arms[ut], arms[lt]].filter((a) => !a.exhausted);
      if (more.length === 0) break; // both estimates are final
      await pull(more, batch);
      t++;
      ({ ut, lt } = bounds());
    }
    const m = means();
    const order = m.map((v, i) => i).sort((a, b) => m[b] - m[a] || a - b);
    return order.slice(0, topN).map((i) => arms[i]);
  }

  function result(t: TupleState, confident: boolean): AnchorResult {
    const n = Math.max(1, t.n);
    const mean = t.positives / n;
    const level = Math.log(1 / delta) / n;
    return {
      anchor: [...t.anchor],
      precision: mean,
      samples: t.n,
      coverage: t.coverage,
      covered: t.covered,
      confident,
      bounds: [klLower(mean, level), klUpper(mean, level)],
      totalSamples: total,
    };
  }
}
