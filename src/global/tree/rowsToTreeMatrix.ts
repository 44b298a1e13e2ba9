/**
 * The wrapper from raw rows (original columns) to the tree learner's numeric matrix.
 */
import type { Feature, Row } from '../../data/types.js';
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
export function rowsToTreeMatrix(rows: readonly Row[], features: readonly Feature[]): TreeMatrix {
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
  return {
    n,
    features: features.map((f) =>
      f.type === 'numeric' ? { name: f.name, kind: 'numeric' as const } : { name: f.name, kind: 'categorical' as const, categories: f.categories.slice() },
    ),
    columns,
  };
}
