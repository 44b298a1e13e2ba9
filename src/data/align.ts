/**
 * Lining data up with what a model expects: rows in the model's column order, and targets as numbers.
 */
import { InputError } from '../util/errors.js';
import type { Dataset, Feature, Row } from './types.js';

/**
 * Rows of `ds` rearranged into the column order of `features` (matched by name); columns the
 * features do not name are dropped. A numeric data column feeding a categorical feature is read as
 * text when every value is one of the feature's categories (e.g. codes `1`, `2`, `3`).
 *
 * @param ds the data.
 * @param features the columns wanted (e.g. a model's or a rule set's schema).
 * @throws InputError naming a missing column (and the columns the data has), or a column whose type
 *   clashes (categorical data for a numeric feature; numbers that are not categories of a
 *   categorical feature).
 * @example
 * alignRows(ds, [{ name: 'b', type: 'numeric' }, { name: 'a', type: 'numeric' }]); // columns b, a
 */
export function alignRows(ds: Dataset, features: readonly Feature[]): Row[] {
  const have = new Map(ds.schema.features.map((f, i) => [f.name, i]));
  const file = ds.source;
  const plan = features.map((f) => {
    const j = have.get(f.name);
    if (j === undefined) {
      const avail = ds.schema.features.map((g) => JSON.stringify(g.name)).join(', ');
      throw new InputError(`the data has no column "${f.name}" (needed by the model); its columns: ${avail}`, { file });
    }
    const g = ds.schema.features[j];
    if (f.type === 'numeric' && g.type === 'categorical') {
      throw new InputError('expected a numeric column, the data has a categorical one', { file, column: f.name });
    }
    const asText = f.type === 'categorical' && g.type === 'numeric';
    if (asText) {
      const cats = new Set(f.categories);
      ds.rows.forEach((r, i) => {
        const v = r[j];
        if (v !== null && !cats.has(String(v))) {
          throw new InputError(
            `expected a categorical column with values {${f.categories.join(', ')}}, got the number ${v} (row ${i + 1})`,
            { file, column: f.name },
          );
        }
      });
    }
    return { j, asText };
  });
  return ds.rows.map((r) => plan.map(({ j, asText }) => (asText && r[j] !== null ? String(r[j]) : r[j])));
}

/**
 * The target of each row as a number: the class index into `schema.target.classes` for class
 * targets, the value for regression; `NaN` where missing. Without a target, all `NaN`.
 *
 * @example
 * targetValues(iris).slice(0, 2); // Float64Array [0, 0] (setosa)
 */
export function targetValues(ds: Dataset): Float64Array {
  const out = new Float64Array(ds.rows.length).fill(NaN);
  const t = ds.schema.target;
  if (!t || !ds.target) return out;
  if (t.kind === 'class') {
    const idx = new Map(t.classes.map((c, i) => [c, i]));
    ds.target.forEach((v, i) => {
      if (v !== null) out[i] = idx.get(String(v)) ?? NaN;
    });
  } else {
    ds.target.forEach((v, i) => {
      if (v !== null) out[i] = Number(v);
    });
  }
  return out;
}
