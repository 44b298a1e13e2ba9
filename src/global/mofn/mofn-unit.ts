/**
 * MofN on one unit (Towell & Shavlik 1993, "Extracting refined rules from knowledge-based neural
 * networks", Machine Learning 13): cluster the unit's incoming weights, replace each weight by its
 * cluster's average, eliminate clusters that cannot or do not change the unit's state, re-fit the
 * bias with the weights frozen, and read the unit as M-of-N tests. Written by hand: no library
 * implements it.
 */
import { readUnit, type MofNExpr } from './mofn-expression.js';

/** One unit over binary inputs: active iff `Σ weights[i]·x[i] + bias > 0`. */
export interface UnitProblem {
  /** Effective weight per input, for inputs coded 0/1. */
  weights: ArrayLike<number>;
  bias: number;
  /** `n × p` inputs (0/1), row-major: the (simplified) layer below on the extraction sample. */
  inputs: Uint8Array;
  /** The state the unit should have on each row (the original network's unit, or its class). */
  target: Uint8Array;
  n: number;
}

export interface UnitOptions {
  /** Weights join a cluster while the gap between cluster means is at most this share of the largest weight. */
  clusterDistance: number;
  /** A cluster is dropped when that (with the bias re-fit) lowers agreement with the target by at most this share of rows. */
  eliminateTolerance: number;
  /** Largest number of count vectors enumerated to read a unit; coarser clusters are used beyond it. */
  maxCombinations: number;
}

/** A literal: input `i` (pos) or its negation. */
export interface Literal {
  i: number;
  pos: boolean;
}

/** A cluster of literals sharing one weight. */
export interface WeightCluster {
  weight: number;
  literals: Literal[];
}

/** The unit after MofN: active iff `Σ weight_k · (true literals of cluster k) > threshold`. */
export interface UnitRule {
  clusters: WeightCluster[];
  threshold: number;
  /** Share of sample rows where the simplified unit matches the target. */
  agreement: number;
  /** The unit as an expression over its inputs (`var` leaves). */
  expr: MofNExpr;
}

interface Lit extends Literal {
  a: number;
}

/**
 * Single-link 1-D clustering of positive magnitudes by the join algorithm: start with one cluster
 * per value and repeatedly join the two adjacent clusters whose means are closest, while that gap
 * is at most `distance`.
 */
export function joinClusters(lits: readonly Lit[], distance: number): Lit[][] {
  let clusters = [...lits].sort((x, y) => x.a - y.a || x.i - y.i).map((l) => [l]);
  const mean = (c: Lit[]) => c.reduce((s, l) => s + l.a, 0) / c.length;
  for (;;) {
    let best = -1;
    let gap = Infinity;
    for (let k = 0; k + 1 < clusters.length; k++) {
      const g = mean(clusters[k + 1]) - mean(clusters[k]);
      if (g < gap) {
        gap = g;
        best = k;
      }
    }
    if (best < 0 || gap > distance) return clusters;
    clusters = [...clusters.slice(0, best), [...clusters[best], ...clusters[best + 1]], ...clusters.slice(best + 2)];
  }
}

/** Per row, the weighted count `Σ_k weight_k · (true literals of cluster k)`. */
function scores(p: UnitProblem, clusters: readonly WeightCluster[]): Float64Array {
  const width = p.weights.length;
  const s = new Float64Array(p.n);
  for (let r = 0; r < p.n; r++) {
    let v = 0;
    for (const c of clusters) {
      let cnt = 0;
      for (const l of c.literals) if ((p.inputs[r * width + l.i] === 1) === l.pos) cnt++;
      v += c.weight * cnt;
    }
    s[r] = v;
  }
  return s;
}

/**
 * The bias re-fit with the weights frozen (Towell & Shavlik's "optimise" step), done exactly: the
 * threshold on the weighted count that agrees with the target on the most rows. Among equally good
 * thresholds the original one is kept when it is one of them, else the middle of the best gap.
 */
function fitThreshold(s: Float64Array, target: Uint8Array, original: number, step: number): { threshold: number; agree: number } {
  const n = s.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => s[x] - s[y]);
  // threshold below every score: all active
  let agree = 0;
  for (let r = 0; r < n; r++) agree += target[r];
  const cuts: { low: number; high: number; agree: number }[] = [{ low: -Infinity, high: n ? s[idx[0]] : Infinity, agree }];
  let k = 0;
  while (k < n) {
    const v = s[idx[k]];
    while (k < n && s[idx[k]] === v) {
      agree += target[idx[k]] ? -1 : 1; // rows with score v become inactive
      k++;
    }
    cuts.push({ low: v, high: k < n ? s[idx[k]] : Infinity, agree });
  }
  let bestAgree = -1;
  for (const c of cuts) bestAgree = Math.max(bestAgree, c.agree);
  const best = cuts.filter((c) => c.agree === bestAgree);
  const keep = best.find((c) => original >= c.low && original < c.high);
  if (keep) return { threshold: original, agree: bestAgree };
  // nearest best interval to the original threshold
  let pick = best[0];
  let dist = Infinity;
  for (const c of best) {
    const d = original < c.low ? c.low - original : original - c.high;
    if (d < dist) {
      dist = d;
      pick = c;
    }
  }
  const threshold =
    pick.low === -Infinity ? pick.high - step / 2 : pick.high === Infinity ? pick.low + step / 2 : (pick.low + pick.high) / 2;
  return { threshold, agree: bestAgree };
}

/** Whether cluster `k` can change the unit's state for some setting of the other clusters. */
function canMatter(clusters: readonly WeightCluster[], k: number, threshold: number): boolean {
  let hi = 0;
  for (let j = 0; j < clusters.length; j++) if (j !== k) hi += clusters[j].weight * clusters[j].literals.length;
  const own = clusters[k].weight * clusters[k].literals.length;
  // active iff others + own-count > threshold; others range over [0, hi] (weights are positive)
  return !(0 > threshold || hi + own <= threshold);
}

/** Number of count vectors `readUnit` enumerates. */
function combinations(clusters: readonly WeightCluster[]): number {
  return clusters.reduce((s, c) => s * (c.literals.length + 1), 1);
}

/** Agreement share of a simplified unit with the target. */
function agreementOf(p: UnitProblem, clusters: readonly WeightCluster[], threshold: number): number {
  const s = scores(p, clusters);
  let a = 0;
  for (let r = 0; r < p.n; r++) if ((s[r] > threshold ? 1 : 0) === p.target[r]) a++;
  return p.n ? a / p.n : 1;
}

/**
 * Runs MofN's generate / average / eliminate / optimise / extract steps on one unit.
 *
 * Negative weights become negated literals (w·x = |w|·(1-x) - |w|), so clusters hold magnitudes.
 * Elimination is first algorithmic (a cluster that cannot change the unit's state for any setting
 * of the others goes), then empirical (smallest total weight first, a cluster goes when dropping it
 * and re-fitting the bias costs at most `eliminateTolerance` agreement with the target).
 *
 * @example
 * const rule = extractUnitMofN({ weights: [4, 4, 4], bias: -6, inputs, target, n }, { clusterDistance: 0.25, eliminateTolerance: 0.01, maxCombinations: 4096 });
 * // rule.expr: at least 2 of (x0, x1, x2)
 */
export function extractUnitMofN(p: UnitProblem, opts: UnitOptions): UnitRule {
  const lits: Lit[] = [];
  let bias = p.bias;
  let maxA = 0;
  for (let i = 0; i < p.weights.length; i++) {
    const w = p.weights[i];
    if (w === 0) continue;
    if (w < 0) bias += w;
    lits.push({ i, pos: w > 0, a: Math.abs(w) });
    maxA = Math.max(maxA, Math.abs(w));
  }
  let distance = opts.clusterDistance * maxA;
  let clusters: WeightCluster[] = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    clusters = joinClusters(lits, distance).map((c) => ({
      weight: c.reduce((s, l) => s + l.a, 0) / c.length,
      literals: c.map((l) => ({ i: l.i, pos: l.pos })).sort((x, y) => x.i - y.i),
    }));
    // generate + average, then eliminate; only the surviving clusters must be enumerable
    const kept = eliminate(p, clusters, -bias, opts);
    if (combinations(kept.clusters) <= opts.maxCombinations) {
      return { ...kept, expr: readUnit(kept.clusters, kept.threshold) };
    }
    distance = distance > 0 ? distance * 1.5 : maxA * 0.05;
  }
  const kept = eliminate(p, clusters, -bias, opts);
  return { ...kept, expr: readUnit(kept.clusters, kept.threshold) };
}

function eliminate(p: UnitProblem, all: WeightCluster[], threshold0: number, opts: UnitOptions): { clusters: WeightCluster[]; threshold: number; agreement: number } {
  const step = () => Math.min(...clusters.map((c) => c.weight), 1);
  let clusters = all.filter((c) => c.weight > 0);
  let fit = fitThreshold(scores(p, clusters), p.target, threshold0, clusters.length ? step() : 1);
  let threshold = fit.threshold;
  // algorithmic elimination
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = 0; k < clusters.length; k++) {
      if (!canMatter(clusters, k, threshold)) {
        clusters = clusters.filter((_, j) => j !== k);
        changed = true;
        break;
      }
    }
  }
  fit = fitThreshold(scores(p, clusters), p.target, threshold, clusters.length ? step() : 1);
  threshold = fit.threshold;
  const baseline = fit.agree / Math.max(1, p.n);
  // empirical elimination, smallest total weight first
  const order = [...clusters].sort((x, y) => x.weight * x.literals.length - y.weight * y.literals.length);
  for (const c of order) {
    const without = clusters.filter((x) => x !== c);
    const f = fitThreshold(scores(p, without), p.target, threshold, without.length ? Math.min(...without.map((x) => x.weight), 1) : 1);
    if (f.agree / Math.max(1, p.n) >= baseline - opts.eliminateTolerance) {
      clusters = without;
      threshold = f.threshold;
    }
  }
  return { clusters, threshold, agreement: agreementOf(p, clusters, threshold) };
}

/** The simplified unit's state (0/1) on each row of its inputs. */
export function unitStates(p: Pick<UnitProblem, 'inputs' | 'n' | 'weights'>, rule: Pick<UnitRule, 'clusters' | 'threshold'>): Uint8Array {
  const s = scores({ ...p, bias: 0, target: new Uint8Array(0) }, rule.clusters);
  return Uint8Array.from(s, (v) => (v > rule.threshold ? 1 : 0));
}
