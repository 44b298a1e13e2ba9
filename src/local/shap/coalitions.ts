/**
 * Which coalitions KernelSHAP evaluates, and their weights (Lundberg & Lee 2017, "A unified
 * approach to interpreting model predictions", NeurIPS; §4.1 and the reference KernelExplainer).
 *
 * The Shapley kernel gives a coalition S of M players the weight
 *
 *     π(S) = (M − 1) / (C(M, |S|) · |S| · (M − |S|)),    0 < |S| < M,
 *
 * so the kernel mass of size s is (M − 1) / (s (M − s)): heaviest on the smallest and largest
 * coalitions. Sizes s and M − s form one class (the middle size alone when M is even).
 *
 * - When the budget holds every coalition (2^M − 2), all are enumerated: the weighted least-squares
 *   solve then gives the exact Shapley values.
 * - Otherwise, classes are enumerated completely from the heaviest down while the budget share of
 *   a class's kernel mass covers all its coalitions; the rest of the budget is drawn at random from
 *   the remaining classes, by their kernel mass, in complementary pairs (S and its complement, the
 *   antithetic draw), and a coalition drawn again adds to its weight instead of being evaluated
 *   twice. Drawn coalitions share the remaining kernel mass in proportion to how often they were
 *   drawn, which is π(S) in expectation.
 */
import type { Rng } from '../../util/rng.js';

/** The coalitions of one explained row. */
export interface CoalitionPlan {
  /** Players M. */
  players: number;
  /** Coalitions n. */
  count: number;
  /** `count × players` flags, row-major (1: the player is in the coalition). */
  masks: Uint8Array;
  /** Kernel weight of each coalition (summing to 1). */
  weights: Float64Array;
  /** True when every coalition is evaluated (exact Shapley values). */
  exact: boolean;
}

/** Number of coalitions strictly between empty and full: 2^M − 2 (Infinity beyond 2^52). */
export function coalitionCount(players: number): number {
  return players > 52 ? Infinity : 2 ** players - 2;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Kernel mass of coalition size s (all coalitions of that size together). */
const sizeMass = (M: number, s: number) => (M - 1) / (s * (M - s));

/**
 * The coalitions to evaluate for `players` players with at most `budget` coalitions (see the
 * module comment). Deterministic given `rng`'s state; `rng` is only drawn from when sampling.
 *
 * @param players M ≥ 2
 * @param budget coalitions at most (≥ 2)
 * @example
 * planCoalitions(3, 2054, rng); // exact: the 6 coalitions of sizes 1 and 2
 */
export function planCoalitions(players: number, budget: number, rng: Rng): CoalitionPlan {
  const M = players;
  if (M < 2) throw new RangeError(`planCoalitions needs at least 2 players, got ${M}`);
  if (M <= 30 && budget >= coalitionCount(M)) return enumerateAll(M);

  const masks: number[][] = [];
  const weights: number[] = [];
  const classes = Math.floor(M / 2);
  const classMass = (c: number) => (2 * c === M ? sizeMass(M, c) : 2 * sizeMass(M, c));
  const classCount = (c: number) => (2 * c === M ? binomial(M, c) : 2 * binomial(M, c));
  let totalMass = 0;
  for (let c = 1; c <= classes; c++) totalMass += classMass(c);

  // Enumerate the heaviest classes while the budget's share of their mass covers them.
  let left = budget;
  let remaining = totalMass;
  let c = 1;
  for (; c <= classes; c++) {
    const need = classCount(c);
    if (left * (classMass(c) / remaining) < need * (1 - 1e-9)) break;
    const w = sizeMass(M, c) / binomial(M, c) / totalMass;
    forEachCombination(M, c, (idx) => {
      const s = new Array<number>(M).fill(0);
      for (const j of idx) s[j] = 1;
      masks.push(s);
      weights.push(w);
      if (2 * c !== M) {
        masks.push(s.map((v) => 1 - v));
        weights.push(w);
      }
    });
    left -= need;
    remaining -= classMass(c);
  }

  // Draw the rest in complementary pairs from the remaining classes, by kernel mass.
  if (c <= classes && left >= 2) {
    const open = Array.from({ length: classes - c + 1 }, (_, i) => c + i);
    const p = open.map(classMass);
    const seen = new Map<string, number>();
    const counts: number[] = [];
    const idx = Array.from({ length: M }, (_, j) => j);
    const maxDraws = 4 * budget + 64;
    for (let draw = 0; draw < maxDraws && left >= 2; draw++) {
      const size = open[rng.weighted(p)];
      // Partial Fisher-Yates: the first `size` entries are a uniform random subset.
      for (let i = 0; i < size; i++) {
        const j = i + rng.int(M - i);
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
      }
      const s = new Array<number>(M).fill(0);
      for (let i = 0; i < size; i++) s[idx[i]] = 1;
      const key = maskKey(s);
      const at = seen.get(key);
      if (at !== undefined) {
        // Its complement sits right after it (or before it, when the complement was drawn first).
        counts[at]++;
        counts[at % 2 === 0 ? at + 1 : at - 1]++;
        continue;
      }
      const comp = s.map((v) => 1 - v);
      seen.set(key, counts.length);
      seen.set(maskKey(comp), counts.length + 1);
      masks.push(s, comp);
      counts.push(1, 1);
      left -= 2;
    }
    let sum = 0;
    for (const n of counts) sum += n;
    const share = remaining / totalMass;
    for (const n of counts) weights.push((n / sum) * share);
  }
  return pack(M, masks, weights, false);
}

/** Every coalition but the empty and the full one, with its kernel weight. */
function enumerateAll(M: number): CoalitionPlan {
  const n = coalitionCount(M);
  const masks = new Uint8Array(n * M);
  const weights = new Float64Array(n);
  let sum = 0;
  for (let b = 1, i = 0; b <= n; b++, i++) {
    let size = 0;
    for (let j = 0; j < M; j++) {
      const bit = (b >>> j) & 1;
      masks[i * M + j] = bit;
      size += bit;
    }
    weights[i] = sizeMass(M, size) / binomial(M, size);
    sum += weights[i];
  }
  for (let i = 0; i < n; i++) weights[i] /= sum;
  return { players: M, count: n, masks, weights, exact: true };
}

function pack(M: number, masks: number[][], weights: number[], exact: boolean): CoalitionPlan {
  const flat = new Uint8Array(masks.length * M);
  masks.forEach((s, i) => flat.set(s, i * M));
  return { players: M, count: masks.length, masks: flat, weights: Float64Array.from(weights), exact };
}

/** A mask as a string key, 16 players per character. */
function maskKey(s: readonly number[]): string {
  let key = '';
  for (let j = 0; j < s.length; j += 16) {
    let v = 0;
    for (let q = 0; q < 16 && j + q < s.length; q++) v |= s[j + q] << q;
    key += String.fromCharCode(v);
  }
  return key;
}

/** Calls `fn` with each k-subset of 0..n-1 (lexicographic order; the array is reused). */
function forEachCombination(n: number, k: number, fn: (idx: readonly number[]) => void): void {
  const idx = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    fn(idx);
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}
