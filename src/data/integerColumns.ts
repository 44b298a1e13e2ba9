/**
 * Which numeric columns hold integers only (counts, years, codes), so that what is said about them
 * can be said in integers.
 */
import { isTable, type RowsLike } from './table.js';
import type { Feature } from './types.js';

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
  features.forEach((f, j) => {
    if (f.type !== 'numeric') return;
    if (isTable(rows)) {
      const col = rows.columns[j];
      let any = false;
      for (let i = 0; i < col.length; i++) {
        if (Number.isNaN(col[i])) continue;
        if (!Number.isInteger(col[i])) return;
        any = true;
      }
      if (any) out.add(f.name);
      return;
    }
    let any = false;
    for (const r of rows) {
      const v = r[j];
      if (v === null || v === undefined) continue;
      if (typeof v !== 'number' || !Number.isInteger(v)) return;
      any = true;
    }
    if (any) out.add(f.name);
  });
  return out;
}
