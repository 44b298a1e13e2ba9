/**
 * The wrapper from raw rows (original columns) to the tree learner's numeric matrix.
 */
import { isTable, type DataTable, type RowsLike } from '../../data/table.js';
import type { Feature } from '../../data/types.js';
import type { TreeMatrix } from './types.js';

/**
 * Column-major matrix of `rows`: numeric values as they are, categorical values as their index
 * in the feature's categories; `null`, non-numbers in numeric columns and unknown categories
 * become `NaN` (missing).
 *
 * @param rows raw rows aligned with `features`
 * @param features the schema's features
 *
 * @example
 * rowsToTreeMatrix([[1.5, 'red']], [{ name: 'x', type: 'numeric' }, { name: 'c', type: 'categorical', categories: ['blue', 'red'] }]);
 * // { n: 1, features: [...], columns: [Float64Array [1.5], Float64Array [1]] }
 */
export function rowsToTreeMatrix(rows: RowsLike, features: readonly Feature[]): TreeMatrix {
  if (isTable(rows)) return tableToTreeMatrix(rows, features);
  const n = rows.length;
  const columns = features.map((f, j) => {
    const col = new Float64Array(n);
    if (f.type === 'numeric') {
      for (let i = 0; i < n; i++) {
        const v = rows[i][j];
        col[i] = typeof v === 'number' ? v : NaN;
      }
    } else {
      const index = new Map(f.categories.map((c, k) => [c, k]));
      for (let i = 0; i < n; i++) {
        const v = rows[i][j];
        col[i] = v === null || v === undefined ? NaN : (index.get(String(v)) ?? NaN);
      }
    }
    return col;
  });
  return { n, features: treeFeatures(features), columns };
}

const treeFeatures = (features: readonly Feature[]) =>
  features.map((f) => (f.type === 'numeric' ? { name: f.name, kind: 'numeric' as const } : { name: f.name, kind: 'categorical' as const, categories: f.categories.slice() }));

/** A table's columns as the learner's: numbers copied, codes mapped to category indices (a level outside the categories is missing). */
function tableToTreeMatrix(t: DataTable, features: readonly Feature[]): TreeMatrix {
  const { n } = t;
  const columns = features.map((f, j) => {
    const c = t.columns[j];
    if (f.type === 'numeric') return c instanceof Float64Array ? c.slice() : new Float64Array(n).fill(NaN);
    const index = new Map(f.categories.map((cat, k) => [cat, k]));
    const byCode = Float64Array.from(t.levels[j] ?? [], (l) => index.get(l) ?? NaN);
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = c[i] < 0 ? NaN : byCode[c[i]];
    return col;
  });
  return { n, features: treeFeatures(features), columns };
}
