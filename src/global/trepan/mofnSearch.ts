/**
 * TREPAN's split selection (Craven & Shavlik, "Extracting tree-structured representations of
 * trained networks", NIPS 1996, §3): candidate single tests (literals), then a beam search over
 * M-of-N tests seeded with the best test found, with the operators m-of-(n+1) and
 * (m+1)-of-(n+1), each step accepted only if it raises the information gain by at least
 * `minImprovement` bits. Written by hand: no installed library does M-of-N search.
 *
 * Two departures from the paper, both documented in the `trepan` extractor: the seed is the best
 * test among single literals *and* pairs of literals (1-of-2 and 2-of-2), so that problems whose
 * single tests carry no information (XOR) still get a useful first split; and literal thresholds
 * for numeric features are the best-gain boundaries plus the quartiles of the node's values.
 */
import type { Feature, Row } from '../../data/types.js';
import type { AtomicConditionT, ConditionT } from '../../rules/schema.js';

/** A single test on one feature, with where it holds among the node's rows. */
export interface Literal {
  condition: AtomicConditionT;
  feature: number;
  holds: Uint8Array;
  /** Information gain of the literal alone. */
  gain: number;
  /** Offered to the pair seed: categorical literals, and numeric ones at the best threshold or a quartile. */
  pairable: boolean;
}

/** An M-of-N test over literals (indices into the literal list), with its information gain. */
export interface MofNTest {
  m: number;
  literals: number[];
  gain: number;
}

/** Options of {@link findBestTest}. */
export interface MofNSearchOptions {
  /** Tests kept at each beam step (2–3 in the paper). */
  beamWidth: number;
  /** Minimum information gain (bits) an extension must add to be accepted. */
  minImprovement: number;
  /** Largest number of literals in one test. */
  maxN: number;
  /** Search M-of-N tests; false: single literals only (plain TREPAN-style axis splits). */
  mofn: boolean;
  /** Best-gain thresholds kept per numeric feature (the quartiles are added). */
  maxThresholds: number;
  /** Literals considered for the pair seed (the best by single gain). */
  maxPairLiterals: number;
}

/** Entropy (bits) of class counts with total `n`. */
export function entropyOf(counts: ArrayLike<number>, n: number): number {
  if (n <= 0) return 0;
  let h = 0;
  for (let c = 0; c < counts.length; c++) {
    const p = counts[c] / n;
    if (p > 0) h -= p * Math.log2(p);
  }
  return h;
}

/** Information gain (bits) of splitting `labels` by `holds`. */
export function splitGain(holds: Uint8Array, labels: Int32Array, K: number, parentEntropy: number): number {
  const yes = new Float64Array(K);
  const no = new Float64Array(K);
  let ny = 0;
  for (let i = 0; i < labels.length; i++) {
    if (holds[i]) {
      yes[labels[i]]++;
      ny++;
    } else no[labels[i]]++;
  }
  const n = labels.length;
  const nn = n - ny;
  if (ny === 0 || nn === 0) return 0;
  return parentEntropy - (ny / n) * entropyOf(yes, ny) - (nn / n) * entropyOf(no, nn);
}

/**
 * Candidate literals over the node's rows: `x <= t` and `x > t` for numeric features (the
 * `maxThresholds` best-gain boundaries between distinct values plus the quartile midpoints),
 * `x = v` for each category present. Literals that hold everywhere or nowhere are dropped.
 */
export function candidateLiterals(rows: readonly Row[], labels: Int32Array, K: number, features: readonly Feature[], maxThresholds: number): Literal[] {
  const n = rows.length;
  const counts = new Float64Array(K);
  for (let i = 0; i < n; i++) counts[labels[i]]++;
  const H = entropyOf(counts, n);
  const out: Literal[] = [];
  const seen = new Set<string>();
  const add = (condition: AtomicConditionT, feature: number, holds: Uint8Array, pairable: boolean) => {
    let k = 0;
    for (let i = 0; i < n; i++) k += holds[i];
    if (k === 0 || k === n) return;
    const key = JSON.stringify(condition);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ condition, feature, holds, gain: splitGain(holds, labels, K, H), pairable });
  };
  features.forEach((f, j) => {
    if (f.type === 'categorical') {
      const present = new Set<string>();
      for (const r of rows) if (r[j] !== null && r[j] !== undefined) present.add(String(r[j]));
      for (const v of f.categories) {
        if (!present.has(v)) continue;
        const holds = new Uint8Array(n);
        for (let i = 0; i < n; i++) holds[i] = rows[i][j] !== null && String(rows[i][j]) === v ? 1 : 0;
        add({ type: 'eq', feature: f.name, value: v }, j, holds, true);
      }
      return;
    }
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (typeof rows[i][j] === 'number') idx.push(i);
    if (idx.length < 2) return;
    idx.sort((a, b) => (rows[a][j] as number) - (rows[b][j] as number) || a - b);
    // Gain of `x <= t` at every boundary between distinct values, in one pass.
    const left = new Float64Array(K);
    const right = new Float64Array(K);
    for (let i = 0; i < n; i++) right[labels[i]]++;
    // Rows with a missing value never satisfy `x <= t`: they stay on the right.
    const bounds: { t: number; gain: number }[] = [];
    let nl = 0;
    for (let p = 0; p < idx.length - 1; p++) {
      const i = idx[p];
      left[labels[i]]++;
      right[labels[i]]--;
      nl++;
      const v = rows[i][j] as number;
      const v2 = rows[idx[p + 1]][j] as number;
      if (v2 === v) continue;
      const g = H - (nl / n) * entropyOf(left, nl) - ((n - nl) / n) * entropyOf(right, n - nl);
      bounds.push({ t: v / 2 + v2 / 2, gain: g });
    }
    if (bounds.length === 0) return;
    const chosen = new Set<number>();
    const pairable = new Set<number>();
    bounds
      .slice()
      .sort((a, b) => b.gain - a.gain || a.t - b.t)
      .slice(0, maxThresholds)
      .forEach((b, r) => {
        chosen.add(b.t);
        if (r === 0) pairable.add(b.t);
      });
    for (const q of [0.25, 0.5, 0.75]) {
      const t = bounds[Math.min(bounds.length - 1, Math.floor(q * bounds.length))].t;
      chosen.add(t);
      pairable.add(t);
    }
    for (const t of [...chosen].sort((a, b) => a - b)) {
      const le = new Uint8Array(n);
      const gt = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i][j];
        if (typeof v !== 'number') continue;
        if (v <= t) le[i] = 1;
        else gt[i] = 1;
      }
      add({ type: 'le', feature: f.name, threshold: t }, j, le, pairable.has(t));
      add({ type: 'gt', feature: f.name, threshold: t }, j, gt, pairable.has(t));
    }
  });
  return out;
}

/** Where an M-of-N test holds: at least `m` of its literals do. */
export function testHolds(test: Pick<MofNTest, 'm' | 'literals'>, literals: readonly Literal[], n: number): Uint8Array {
  const count = new Uint8Array(n);
  for (const l of test.literals) {
    const h = literals[l].holds;
    for (let i = 0; i < n; i++) count[i] += h[i];
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = count[i] >= test.m ? 1 : 0;
  return out;
}

/** The rule-representation condition of a test: the literal itself when n = 1, else an `mofn`. */
export function testCondition(test: Pick<MofNTest, 'm' | 'literals'>, literals: readonly Literal[]): ConditionT {
  // Members in column order (then by literal), whatever order the search added them in.
  const lits = test.literals.slice().sort((a, b) => literals[a].feature - literals[b].feature || a - b);
  if (lits.length === 1) return literals[lits[0]].condition;
  return { type: 'mofn', m: test.m, conditions: lits.map((l) => literals[l].condition) };
}

/**
 * The best split test for the node's rows and model labels: the best single literal or pair
 * (1-of-2, 2-of-2 over pairable literals) as the seed, then the beam search of TREPAN over M-of-N extensions. Ties go to
 * fewer literals, then to earlier literals.
 *
 * @returns the test, or null when no literal separates the rows
 * @example
 * const lits = candidateLiterals(rows, labels, 2, features, 3);
 * const best = findBestTest(lits, labels, 2, { beamWidth: 2, minImprovement: 0.002, maxN: 8, mofn: true, maxThresholds: 3, maxPairLiterals: 60 });
 */
export function findBestTest(literals: readonly Literal[], labels: Int32Array, K: number, opts: MofNSearchOptions): MofNTest | null {
  if (literals.length === 0) return null;
  const n = labels.length;
  const counts = new Float64Array(K);
  for (let i = 0; i < n; i++) counts[labels[i]]++;
  const H = entropyOf(counts, n);
  const key = (t: Pick<MofNTest, 'm' | 'literals'>) => `${t.m}:${t.literals.slice().sort((a, b) => a - b).join(',')}`;
  const order = (a: MofNTest, b: MofNTest) =>
    b.gain - a.gain || a.literals.length - b.literals.length || key(a).localeCompare(key(b));

  // Count vectors are kept per test so that an extension costs one pass.
  const countsOf = new Map<string, Uint8Array>();
  const countVector = (t: MofNTest): Uint8Array => {
    const k = key(t);
    let c = countsOf.get(k);
    if (!c) {
      c = new Uint8Array(n);
      for (const l of t.literals) {
        const h = literals[l].holds;
        for (let i = 0; i < n; i++) c[i] += h[i];
      }
      countsOf.set(k, c);
    }
    return c;
  };
  // Gain of "count + extra >= m" without building the split: class counts of the yes side only.
  const yes = new Float64Array(K);
  const gainWith = (base: Uint8Array, extra: Uint8Array, m: number): number => {
    yes.fill(0);
    let ny = 0;
    for (let i = 0; i < n; i++) {
      if (base[i] + extra[i] >= m) {
        yes[labels[i]]++;
        ny++;
      }
    }
    const nn = n - ny;
    if (ny === 0 || nn === 0) return 0;
    let hy = 0;
    let hn = 0;
    for (let c = 0; c < K; c++) {
      const py = yes[c] / ny;
      const pn = (counts[c] - yes[c]) / nn;
      if (py > 0) hy -= py * Math.log2(py);
      if (pn > 0) hn -= pn * Math.log2(pn);
    }
    return H - (ny / n) * hy - (nn / n) * hn;
  };

  const singles: MofNTest[] = literals.map((l, i) => ({ m: 1, literals: [i], gain: l.gain }));
  let pool = singles.slice();
  if (opts.mofn) {
    // 1-of-2 and 2-of-2 both: they split alike up to negation, but extend differently.
    const top = literals
      .map((l, i) => ({ i, g: l.gain, p: l.pairable }))
      .filter((x) => x.p)
      .sort((a, b) => b.g - a.g || a.i - b.i)
      .slice(0, opts.maxPairLiterals)
      .map((x) => x.i)
      .sort((a, b) => a - b);
    for (let a = 0; a < top.length; a++) {
      for (let b = a + 1; b < top.length; b++) {
        const la = literals[top[a]];
        const lb = literals[top[b]];
        if (la.feature === lb.feature) continue;
        for (const m of [1, 2]) {
          const g = gainWith(la.holds, lb.holds, m);
          // A pair must beat both its members by the minimum improvement to be worth its size.
          if (g >= Math.max(la.gain, lb.gain) + opts.minImprovement) pool.push({ m, literals: [top[a], top[b]], gain: g });
        }
      }
    }
  }
  pool.sort(order);
  let beam = pool.slice(0, Math.max(1, opts.beamWidth));
  if (!opts.mofn) return beam[0];

  for (let step = 0; step < 64; step++) {
    const candidates: MofNTest[] = [];
    const seen = new Set(beam.map(key));
    for (const t of beam) {
      if (t.literals.length >= opts.maxN) continue;
      const used = new Set(t.literals.map((l) => literals[l].feature));
      const base = countVector(t);
      for (let l = 0; l < literals.length; l++) {
        if (used.has(literals[l].feature)) continue;
        for (const m of [t.m, t.m + 1]) {
          const cand = { m, literals: [...t.literals, l].sort((a, b) => a - b), gain: 0 };
          const k = key(cand);
          if (seen.has(k)) continue;
          seen.add(k);
          cand.gain = gainWith(base, literals[l].holds, m);
          if (cand.gain >= t.gain + opts.minImprovement) candidates.push(cand);
        }
      }
    }
    if (candidates.length === 0) break;
    const next = [...beam, ...candidates].sort(order).slice(0, Math.max(1, opts.beamWidth));
    if (next.map(key).join('|') === beam.map(key).join('|')) break;
    beam = next;
  }
  return beam[0];
}

/** Information gain of the split "count ≥ m" (count: members holding per row). */
function countGain(count: Uint8Array, m: number, labels: Int32Array, K: number, H: number): number {
  const n = labels.length;
  const yes = new Float64Array(K);
  const all = new Float64Array(K);
  let ny = 0;
  for (let i = 0; i < n; i++) {
    all[labels[i]]++;
    if (count[i] >= m) {
      yes[labels[i]]++;
      ny++;
    }
  }
  return gainFromCounts(yes, ny, all, n, H);
}

function gainFromCounts(yes: ArrayLike<number>, ny: number, all: ArrayLike<number>, n: number, H: number): number {
  const nn = n - ny;
  if (ny === 0 || nn === 0) return 0;
  let hy = 0;
  let hn = 0;
  for (let c = 0; c < all.length; c++) {
    const py = yes[c] / ny;
    const pn = (all[c] - yes[c]) / nn;
    if (py > 0) hy -= py * Math.log2(py);
    if (pn > 0) hn -= pn * Math.log2(pn);
  }
  return H - (ny / n) * hy - (nn / n) * hn;
}

function memberCounts(members: readonly number[], literals: readonly Literal[], n: number, skip = -1): Uint8Array {
  const c = new Uint8Array(n);
  for (const l of members) {
    if (l === skip) continue;
    const h = literals[l].holds;
    for (let i = 0; i < n; i++) c[i] += h[i];
  }
  return c;
}

/**
 * Drops the members of an M-of-N test that do not change its gain: repeatedly, the member whose
 * removal (keeping `m`, or lowering it by one) costs least is removed while that costs less than
 * `minImprovement` bits, the threshold TREPAN's beam search asks an added member to earn.
 *
 * @example
 * const lean = pruneMembers(findBestTest(lits, labels, 2, opts)!, lits, labels, 2, 0.005);
 */
export function pruneMembers(test: MofNTest, literals: readonly Literal[], labels: Int32Array, K: number, minImprovement: number): MofNTest {
  const n = labels.length;
  const all = new Float64Array(K);
  for (let i = 0; i < n; i++) all[labels[i]]++;
  const H = entropyOf(all, n);
  let cur = { ...test, literals: test.literals.slice() };
  for (;;) {
    if (cur.literals.length <= 1) return cur;
    let best: MofNTest | null = null;
    for (const l of cur.literals) {
      const rest = cur.literals.filter((x) => x !== l);
      const count = memberCounts(rest, literals, n);
      for (const m of [cur.m, cur.m - 1]) {
        if (m < 1 || m > rest.length) continue;
        const gain = countGain(count, m, labels, K, H);
        if (!best || gain > best.gain + 1e-12) best = { m, literals: rest, gain };
      }
    }
    if (!best || best.gain < cur.gain - minImprovement) return cur;
    cur = best;
  }
}

/**
 * Refines the thresholds of a test's numeric members jointly: in turn, each member's threshold is
 * moved to the value that maximises the test's gain with the other members as they are (an exact
 * sweep over the rows the member decides: those where exactly `m - 1` other members hold), until a
 * pass changes nothing (at most `passes`). New literals are appended to a copy of `literals`; the
 * returned test indexes that copy.
 *
 * @param rows the node's rows (the literals' `holds` are over them)
 * @example
 * const { test, literals } = refineThresholds(best, lits, rows, labels, 2, features);
 */
export function refineThresholds(
  test: MofNTest,
  literals: readonly Literal[],
  rows: readonly Row[],
  labels: Int32Array,
  K: number,
  features: readonly Feature[],
  passes = 4,
): { test: MofNTest; literals: Literal[] } {
  const lits = literals.slice();
  const n = labels.length;
  if (test.literals.length < 2) return { test, literals: lits };
  const all = new Float64Array(K);
  for (let i = 0; i < n; i++) all[labels[i]]++;
  const H = entropyOf(all, n);
  const cur = { ...test, literals: test.literals.slice() };
  for (let pass = 0; pass < passes; pass++) {
    let changed = false;
    for (let p = 0; p < cur.literals.length; p++) {
      const lit = lits[cur.literals[p]];
      const c = lit.condition;
      if (c.type !== 'le' && c.type !== 'gt') continue;
      const j = lit.feature;
      const others = memberCounts(cur.literals, lits, n, cur.literals[p]);
      const yesBase = new Float64Array(K);
      let nyBase = 0;
      const pivotal: number[] = [];
      for (let i = 0; i < n; i++) {
        if (others[i] >= cur.m) {
          yesBase[labels[i]]++;
          nyBase++;
        } else if (others[i] === cur.m - 1 && typeof rows[i][j] === 'number') pivotal.push(i);
      }
      if (pivotal.length < 2) continue;
      pivotal.sort((a, b) => (rows[a][j] as number) - (rows[b][j] as number) || a - b);
      // Sweep: `le` takes a prefix of the pivotal rows, `gt` the suffix.
      const yes = Float64Array.from(yesBase);
      let ny = nyBase;
      if (c.type === 'gt') {
        for (const i of pivotal) yes[labels[i]]++;
        ny += pivotal.length;
      }
      let bestGain = cur.gain;
      let bestT: number | null = null;
      for (let q = 0; q < pivotal.length - 1; q++) {
        const i = pivotal[q];
        const d = c.type === 'le' ? 1 : -1;
        yes[labels[i]] += d;
        ny += d;
        const v = rows[i][j] as number;
        const v2 = rows[pivotal[q + 1]][j] as number;
        if (v2 === v) continue;
        const g = gainFromCounts(yes, ny, all, n, H);
        if (g > bestGain + 1e-12) {
          bestGain = g;
          bestT = v / 2 + v2 / 2;
        }
      }
      if (bestT === null || bestT === c.threshold) continue;
      const holds = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i][j];
        if (typeof v === 'number') holds[i] = (c.type === 'le' ? v <= bestT : v > bestT) ? 1 : 0;
      }
      lits.push({ condition: { type: c.type, feature: features[j].name, threshold: bestT }, feature: j, holds, gain: splitGain(holds, labels, K, H), pairable: false });
      cur.literals[p] = lits.length - 1;
      cur.gain = bestGain;
      changed = true;
    }
    if (!changed) break;
  }
  return { test: cur, literals: lits };
}
