/**
 * Rules within a size bound from the network of simplified units. Two kinds of candidate rules,
 * both implied by that network (a row a rule covers gets the rule's class from it, whatever its
 * other columns hold, as far as three-valued evaluation can tell):
 * - the disjuncts of its composed M-of-N expression (the classic MofN output);
 * - regions grown around single rows: start from the row's own values and free its columns, then
 *   widen the values allowed in the rest, as long as the network's reading stays decided over the
 *   whole region (greedy prime implicants, in the spirit of Craven & Shavlik's rule-extraction-as-
 *   learning, 1994, with the three-valued test in place of the network queries).
 * From these, a decision list within the bound is chosen by `selectRules`
 * (src/global/decompositional/select-rules.ts).
 */
import type { Feature } from '../../data/types.js';
import type { ConditionT } from '../../rules/schema.js';
import { negateCondition } from '../../rules/negateCondition.js';
import { mergeConjunction, type Candidate } from '../decompositional/index.js';
import { domainSizes, outputStates, type Domain, type MofNNetwork } from './mofn-network.js';

/** Rows at most examined when ordering columns to free (a prefix of the positives). */
const GAIN_ROWS = 3000;

/**
 * Regions grown around rows the reading gives the target (`on`: output reading `reading` on; for
 * two classes, reading 0 off is class 0), until every row of `positive` is covered or `maxTerms`
 * regions exist. A region starts as its seed row's values; a column is freed, then the values
 * allowed in the others widened (more categories, neighbouring bins), while no sample row inside
 * the region gets another reading, or — for the rows the sample does not show — while the
 * three-valued reading stays decided over the whole region.
 *
 * @param target the reading (0/1) each sample row gets
 * @param positive rows to cover (1): the reading gives the target there and the network agrees
 */
export function growRegions(net: MofNNetwork, reading: number, on: boolean, target: Uint8Array, positive: Uint8Array, maxTerms: number): Domain[] {
  const cells = net.inputs.cells;
  const D = net.inputs.domains.length;
  const sizes = domainSizes(net);
  const n = positive.length;
  const uncovered = Uint8Array.from(positive);
  const want = on ? 1 : 0;
  const miss = new Int32Array(n); // columns where the row lies outside the region
  const outside = (dom: Domain, r: number, c: number) => {
    const v = cells[r * D + c];
    return v < 0 ? !isFull(dom[c]) : !dom[c][v];
  };
  const regions: Domain[] = [];
  let seed = 0;
  while (regions.length < maxTerms) {
    while (seed < n && (!uncovered[seed] || hasMissing(cells, seed, D))) seed++;
    if (seed >= n) break;
    const dom: Domain = sizes.map((s, c) => {
      const a = new Uint8Array(s);
      a[cells[seed * D + c]] = 1;
      return a;
    });
    for (let r = 0; r < n; r++) {
      let k = 0;
      for (let c = 0; c < D; c++) if (outside(dom, r, c)) k++;
      miss[r] = k;
    }
    /**
     * Tries to allow more of column `c` (all of it, or value `v`). Kept when the three-valued
     * reading stays decided over the whole region (`sound`), or else, with `sound` false, when no
     * sample row it lets in reads otherwise.
     */
    const tryWiden = (c: number, v: number | null, sound: boolean): boolean => {
      const keep = dom[c];
      const wider = v === null ? new Uint8Array(sizes[c]).fill(1) : Uint8Array.from(keep);
      if (v !== null) wider[v] = 1;
      let ok = true;
      for (let r = 0; r < n && ok; r++) {
        if (miss[r] !== 1 || !outside(dom, r, c)) continue;
        const cell = cells[r * D + c];
        if ((cell < 0 ? v === null : wider[cell]) && (target[r] === 1) !== on) ok = false;
      }
      if (!ok) return false;
      dom[c] = wider;
      if (sound && outputStates(net, dom)[reading] !== want) {
        dom[c] = keep;
        return false;
      }
      for (let r = 0; r < n; r++) {
        const cell = cells[r * D + c];
        const was = cell < 0 ? !isFull(keep) : !keep[cell];
        const now = cell < 0 ? !isFull(wider) : !wider[cell];
        if (was && !now) miss[r]--;
      }
      return true;
    };
    // First what holds over the whole region, then what the sample shows; in each, free whole
    // columns (the one that most uncovered positives differ in alone first), then widen the
    // columns still held (more categories, neighbouring bins).
    for (const sound of [true, false]) {
      const failed = new Uint8Array(D);
      for (;;) {
        const gain = new Float64Array(D);
        let seen = 0;
        for (let r = 0; r < n && seen < GAIN_ROWS; r++) {
          if (!uncovered[r] || miss[r] !== 1) continue;
          seen++;
          for (let c = 0; c < D; c++) if (outside(dom, r, c)) gain[c]++;
        }
        const order = [...Array(D).keys()].filter((c) => !failed[c] && !isFull(dom[c])).sort((a, b) => gain[b] - gain[a] || a - b);
        let freed = false;
        for (const c of order) {
          if (tryWiden(c, null, sound)) {
            freed = true;
            break;
          }
          failed[c] = 1; // a larger region cannot pass what this one does not (both tests are monotone)
        }
        if (!freed) break;
      }
      net.inputs.domains.forEach((col, c) => {
        if (isFull(dom[c])) return;
        if (col.kind === 'cat') {
          for (let v = 0; v < sizes[c]; v++) if (!dom[c][v]) tryWiden(c, v, sound);
        } else {
          while (dom[c].indexOf(1) > 0 && tryWiden(c, dom[c].indexOf(1) - 1, sound));
          while (dom[c].lastIndexOf(1) < sizes[c] - 1 && tryWiden(c, dom[c].lastIndexOf(1) + 1, sound));
        }
      });
    }
    regions.push(dom);
    for (let r = 0; r < n; r++) if (miss[r] === 0) uncovered[r] = 0;
    uncovered[seed] = 0;
  }
  return regions;
}

function isFull(a: Uint8Array): boolean {
  for (let v = 0; v < a.length; v++) if (!a[v]) return false;
  return true;
}

function hasMissing(cells: Int32Array, r: number, D: number): boolean {
  for (let c = 0; c < D; c++) if (cells[r * D + c] < 0) return true;
  return false;
}

/**
 * A region as rule conditions: one test per column it restricts (`=`, `!=`, `IN`, `NOT IN` for
 * categories; `>`, `<=`, an interval for bins).
 */
export function regionConditions(net: MofNNetwork, dom: Domain, features: readonly Feature[]): ConditionT[] {
  const conds: ConditionT[] = [];
  net.inputs.domains.forEach((col, c) => {
    const a = dom[c];
    if (isFull(a)) return;
    if (col.kind === 'cat') {
      conds.push({ type: 'in', feature: col.feature, values: col.categories.filter((_, v) => a[v]) });
    } else {
      const lo = a.indexOf(1);
      const hi = a.lastIndexOf(1);
      const low = lo > 0 ? col.cuts[lo - 1] : null;
      const high = hi < col.cuts.length ? col.cuts[hi] : null;
      if (low !== null && high !== null) conds.push({ type: 'interval', feature: col.feature, low, high });
      else if (low !== null) conds.push({ type: 'gt', feature: col.feature, threshold: low });
      else if (high !== null) conds.push({ type: 'le', feature: col.feature, threshold: high });
    }
  });
  return mergeConjunction(conds, features) ?? conds;
}

/** Most distinct tests an M-of-N read off regions may count. */
const MAX_COUNTED = 12;

/**
 * M-of-N tests read off the regions of one class (Towell & Shavlik's insight applied to rules):
 * regions of `k` tests each, drawn from one pool of tests, are often all the k-subsets of the pool
 * ("at most one of five is above 0.5": the five 4-subsets of `x_i <= 0.5`), i.e. one test
 * "at least k of the pool". For every k with two or more such regions, that test is proposed for
 * the class, and with two classes its exact negation ("at least n-k+1 of the negated tests") for
 * the other; the selection keeps it only where it agrees with the network better.
 *
 * @example
 * countedCandidates([{ conditions: [a, b], cls: 0, kind: 'region' }, { conditions: [a, c], cls: 0, kind: 'region' }], 2, features);
 * // [at least 2 of (a, b, c) -> 0, at least 2 of (NOT a, NOT b, NOT c) -> 1]
 */
export function countedCandidates(regions: readonly Candidate[], classes: number, features: readonly Feature[]): Candidate[] {
  const order = new Map(features.map((f, i) => [f.name, i]));
  const column = (c: ConditionT) => (c.type === 'mofn' ? -1 : (order.get(c.feature) ?? -1));
  const out: Candidate[] = [];
  const groups = new Map<string, Candidate[]>();
  for (const r of regions) {
    if (r.kind !== 'region' || r.conditions.some((c) => c.type === 'mofn')) continue;
    const g = `${r.cls}:${r.conditions.length}`;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  for (const [g, rs] of groups) {
    const k = Number(g.split(':')[1]);
    if (rs.length < 2 || k < 1) continue;
    const pool = new Map<string, ConditionT>();
    for (const r of rs) for (const c of r.conditions) pool.set(JSON.stringify(c), c);
    if (pool.size <= k || pool.size > MAX_COUNTED) continue;
    const tests = [...pool.values()].sort((a, b) => column(a) - column(b));
    const cls = rs[0].cls;
    out.push({ conditions: [{ type: 'mofn', m: k, conditions: tests }], cls, kind: 'counted' });
    if (classes === 2 && tests.every((c) => c.type !== 'interval')) {
      out.push({ conditions: [{ type: 'mofn', m: tests.length - k + 1, conditions: tests.map(negateCondition) }], cls: 1 - cls, kind: 'counted' });
    }
  }
  return out;
}

