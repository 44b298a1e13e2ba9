/**
 * Completeness and overlap of a rule set on a sample (Lakkaraju et al. 2016, "Interpretable
 * decision sets", use the same two notions of coverage and overlap).
 */
import { rowCount, rowReader, type RowsLike } from '../data/table.js';
import { evalConjunction, featureIndex } from '../rules/evaluate.js';
import type { RuleSet } from '../rules/schema.js';

export interface RuleCoverage {
  /** Share of rows covered by some rule other than the default (trees: 1, every row reaches a leaf). */
  completeness: number;
  /** Share of rows whose conditions more than one rule satisfies (trees: 0, leaves partition the rows). */
  overlap: number;
  /** Rows covered by some rule. */
  covered: number;
  /** Rows covered by two or more rules. */
  overlapping: number;
  rows: number;
}

/**
 * Completeness and overlap of `rs` on `rows`. A rule covers a row when all its conditions hold,
 * whatever its place in a list.
 *
 * @example
 * // rules x <= 1 and x <= 2 on x = [0, 1.5, 3]: covered rows 0 and 1, both rules on row 0
 * ruleCoverage(rs, [[0], [1.5], [3]]); // { completeness: 2/3, overlap: 1/3, covered: 2, overlapping: 1, rows: 3 }
 */
export function ruleCoverage(rs: RuleSet, rows: RowsLike): RuleCoverage {
  const n = rowCount(rows);
  const s = rs.surrogate;
  if (s.kind === 'tree') return { completeness: n ? 1 : 0, overlap: 0, covered: n, overlapping: 0, rows: n };
  const index = featureIndex(rs.schema);
  let covered = 0;
  let overlapping = 0;
  const at = rowReader(rows, { scratch: true });
  for (let i = 0; i < n; i++) {
    const row = at(i);
    let k = 0;
    for (const r of s.rules) {
      if (evalConjunction(r.conditions, row, index) && ++k > 1) break;
    }
    if (k > 0) covered++;
    if (k > 1) overlapping++;
  }
  return { completeness: n ? covered / n : 0, overlap: n ? overlapping / n : 0, covered, overlapping, rows: n };
}
