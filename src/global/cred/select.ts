/**
 * Pruning of the intermediate rule sets of DeepRED as they are formed, on the extraction sample
 * against the network's class: terms a conjunction does not need are dropped (C4.5rules' test,
 * applied to hidden-unit terms), and of a class's conjunctions a small set is kept that covers
 * the class's rows best (greedy set cover, gain = newly covered rows of the class minus newly
 * covered rows of other classes). This is what keeps the substitution from multiplying terms.
 */
import { andRows, countAnd, countRows, fullRowSet, removeRows, type RowSet } from '../../util/bitset.js';
import type { Conj, Layer } from './terms.js';

/**
 * `c` without the terms whose removal does not lower its precision for the class `pos` (greedy,
 * one term at a time, the term whose removal gives the highest precision first).
 *
 * @example
 * pruneTerms(conj, layer, classRows); // fewer terms, same or higher precision
 */
export function pruneTerms<L>(c: Conj<L>, layer: Layer<L>, pos: RowSet): Conj<L> {
  let terms = c.lits;
  let rows = c.rows;
  const support = countRows(rows);
  let best = support ? countAnd(rows, pos) / support : 0;
  while (terms.length > 0) {
    // rows of all terms but the i-th: prefix and suffix intersections
    const T = terms.length;
    const prefix: RowSet[] = [layer.everyRow];
    for (let i = 0; i < T; i++) prefix.push(andRows(prefix[i], layer.rowsOf(terms[i])));
    let suffix = layer.everyRow;
    let pick = -1;
    let pickRows = rows;
    let pickPrecision = -1;
    let pickSupport = -1;
    for (let i = T - 1; i >= 0; i--) {
      const r = andRows(prefix[i], suffix);
      const s = countRows(r);
      const p = s ? countAnd(r, pos) / s : 0;
      if (p > pickPrecision || (p === pickPrecision && s >= pickSupport)) {
        pick = i;
        pickRows = r;
        pickPrecision = p;
        pickSupport = s;
      }
      suffix = andRows(suffix, layer.rowsOf(terms[i]));
    }
    if (pickPrecision < best) break;
    terms = terms.filter((_, j) => j !== pick);
    rows = pickRows;
    best = pickPrecision;
  }
  return terms === c.lits ? c : { lits: terms, rows };
}

/**
 * Distinct conjunctions (by their terms), first occurrence kept.
 */
export function distinct<L>(cs: readonly Conj<L>[], layer: Layer<L>): Conj<L>[] {
  const seen = new Set<string>();
  return cs.filter((c) => {
    const k = layer.key(c.lits);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * At most `max` of `cands` that together cover the class `pos` best: greedily the conjunction
 * with the largest gain (class rows it adds minus other rows it adds, counted on the rows no chosen
 * conjunction covers yet), while the gain is at least `minGain`. Returned in the order chosen
 * (largest gain first). `truncated` tells whether `max` stopped a selection that could go on.
 *
 * @example
 * const { chosen } = coverClass(candidates, classRows, 50, 2);
 */
export function coverClass<L>(cands: readonly Conj<L>[], pos: RowSet, max: number, minGain: number): { chosen: Conj<L>[]; truncated: boolean } {
  const free = fullRowSet(pos.length * 32); // bits past the last row are never in a conjunction's rows
  let alive = cands.map((c, i) => ({ c, i }));
  const chosen: Conj<L>[] = [];
  for (;;) {
    let best = -1;
    let bestGain = minGain - 1;
    let bestTerms = Infinity;
    const next: typeof alive = [];
    for (let k = 0; k < alive.length; k++) {
      const { c } = alive[k];
      const tp = countAnd(c.rows, pos, free);
      if (tp === 0) continue; // can never add a row of the class again
      next.push(alive[k]);
      const gain = 2 * tp - countAnd(c.rows, free);
      if (gain > bestGain || (gain === bestGain && c.lits.length < bestTerms)) {
        best = next.length - 1;
        bestGain = gain;
        bestTerms = c.lits.length;
      }
    }
    alive = next;
    if (best < 0) return { chosen, truncated: false };
    if (chosen.length === max) return { chosen, truncated: true };
    const pick = alive[best].c;
    chosen.push(pick);
    removeRows(free, pick.rows);
    alive.splice(best, 1);
  }
}
