/**
 * Which numeric columns hold integers only (counts, years, codes), so that what is said about them
 * can be said in integers.
 */
import { isTable, rowCount, type RowsLike } from './table.js';
import type { Feature, Row } from './types.js';

/**
 * Names of the numeric features whose present values in `rows` are all integers (at least one
 * present value). Missing values are ignored.
 *
 * @param features the columns of `rows`, in order
 * @example
 * integerColumns([{ name: 'age', type: 'numeric' }, { name: 'bmi', type: 'numeric' }], [[41, 22.5], [37, 30]]); // Set { 'age' }
 */
export function integerColumns(features: readonly Feature[], rows: RowsLike): Set<string> {
  const out = new Set<string>();
  const n = rowCount(rows);
  features.forEach((f, j) => {
    if (f.type !== 'numeric') return;
    const col = isTable(rows) ? rows.columns[j] : null;
    let any = false;
    for (let i = 0; i < n; i++) {
      const v = col ? (Number.isNaN(col[i]) ? null : col[i]) : (rows as readonly Row[])[i][j];
      if (v === null || v === undefined) continue;
      if (typeof v !== 'number' || !Number.isInteger(v)) return;
      any = true;
    }
    if (any) out.add(f.name);
  });
  return out;
}
