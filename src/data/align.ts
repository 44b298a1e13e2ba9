/**
 * Lining data up with what a model expects: rows in the model's column order, and targets as numbers.
 */
import { InputError } from '../util/errors.js';
import { levelCode, type DataTable, type TableColumn } from './table.js';
import type { Dataset, Feature, Row, Schema } from './types.js';
import type { DatasetPlan } from './infer.js';
import { parseNumberText } from './values.js';

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
  return rowAligner(ds.schema, features, ds.source)(ds.rows, 0);
}

/**
 * What {@link alignRows} does, split for data read in batches: the column check once, then a
 * function that aligns each batch (`offset` is the index of the batch's first row, for messages).
 *
 * @throws InputError as {@link alignRows}: a missing or clashing column at once, a number that is
 *   no category when the batch holding it is aligned.
 * @example
 * const align = rowAligner(scan.plan.schema, model.schema.features, 'data.csv');
 * for await (const b of scan.batches()) predict(align(b.rows, b.start));
 */
export function rowAligner(schema: Pick<Schema, 'features'>, features: readonly Feature[], file: string): (rows: readonly Row[], offset: number) => Row[] {
  const plan = columnPlan(schema.features, features, file);
  return (rows, offset) => {
    for (const { j, f, cats } of plan) {
      if (!cats || f.type !== 'categorical') continue;
      rows.forEach((r, i) => {
        const v = r[j];
        if (v !== null && !cats.has(String(v))) throw notACategory(f, v, offset + i, file);
      });
    }
    return rows.map((r) => plan.map(({ j, cats }) => (cats && r[j] !== null ? String(r[j]) : r[j])));
  };
}

/**
 * Per feature wanted, the data column that feeds it (`j`) and, for a numeric data column feeding a
 * categorical feature, the feature's categories (its numbers are read as their text).
 */
function columnPlan(have: readonly Feature[], features: readonly Feature[], file: string): { j: number; f: Feature; cats: Set<string> | null }[] {
  const index = new Map(have.map((f, i) => [f.name, i]));
  return features.map((f) => {
    const j = index.get(f.name);
    if (j === undefined) {
      const avail = have.map((g) => JSON.stringify(g.name)).join(', ');
      throw new InputError(`the data has no column "${f.name}" (needed by the model); its columns: ${avail}`, { file });
    }
    const g = have[j];
    if (f.type === 'numeric' && g.type === 'categorical') {
      throw new InputError('expected a numeric column, the data has a categorical one', { file, column: f.name });
    }
    return { j, f, cats: f.type === 'categorical' && g.type === 'numeric' ? new Set(f.categories) : null };
  });
}

/** The error for a number (row `row`, 0-based) that is not one of categorical feature `f`'s categories. */
function notACategory(f: Extract<Feature, { type: 'categorical' }>, v: unknown, row: number, file: string): InputError {
  return new InputError(`expected a categorical column with values {${f.categories.join(', ')}}, got the number ${v} (row ${row + 1})`, { file, column: f.name });
}

/**
 * {@link alignRows} for rows held column by column: the table's columns in the order and types of
 * `features`, numbers read as their text where a categorical feature takes a numeric column,
 * category codes mapped onto the feature's categories (values outside them kept after them).
 * Numeric columns are shared with `t`, not copied. The same errors as {@link alignRows}.
 *
 * @example
 * alignTable(ds.table, model.schema.features, ds.source);
 */
export function alignTable(t: DataTable, features: readonly Feature[], file: string): DataTable {
  const plan = columnPlan(t.features, features, file);
  const columns: TableColumn[] = [];
  const levels: (string[] | null)[] = [];
  for (const { j, f, cats } of plan) {
    const col = t.columns[j];
    if (f.type === 'numeric') {
      columns.push(col);
      levels.push(null);
      continue;
    }
    const lv = f.categories.slice();
    const codes = new Int32Array(t.n);
    if (cats) {
      for (let i = 0; i < t.n; i++) {
        if (Number.isNaN(col[i])) codes[i] = -1;
        else if (!cats.has(String(col[i]))) throw notACategory(f, col[i], i, file);
        else codes[i] = levelCode(lv, String(col[i]));
      }
    } else {
      const recode = Int32Array.from(t.levels[j]!, (c) => levelCode(lv, c));
      for (let i = 0; i < t.n; i++) codes[i] = col[i] < 0 ? -1 : recode[col[i]];
    }
    columns.push(codes);
    levels.push(lv);
  }
  return { n: t.n, features: features.slice(), columns, levels };
}

/**
 * Whether aligning the rows of a scanned dataset to `features` can be known to succeed from the
 * scan alone: true unless a numeric data column feeds a categorical feature and the scan did not
 * keep all its distinct numbers, or kept one that is not a category. When false, a streaming
 * command aligns every batch once before writing anything, so that its output never stops
 * half-way.
 *
 * @example
 * if (!alignmentKnownSafe(scan.plan, rs.schema.features)) for await (const b of scan.batches()) align(b.rows, b.start);
 */
export function alignmentKnownSafe(plan: DatasetPlan, features: readonly Feature[]): boolean {
  const index = new Map(plan.schema.features.map((f, i) => [f.name, i]));
  return features.every((f) => {
    const i = index.get(f.name);
    if (f.type !== 'categorical' || i === undefined || plan.schema.features[i].type !== 'numeric') return true;
    const texts = plan.numberTexts(plan.featureCols[i]);
    if (!texts) return false;
    const cats = new Set(f.categories);
    for (const t of texts) if (!cats.has(String(parseNumberText(t)))) return false;
    return true;
  });
}

/**
 * The target of each row as a number: the class index into `schema.target.classes` for class
 * targets, the value for regression; `NaN` where missing. Without a target, all `NaN`.
 *
 * @example
 * targetValues(iris).slice(0, 2); // Float64Array [0, 0] (setosa)
 */
export function targetValues(ds: Dataset): Float64Array {
  const t = ds.schema.target;
  if (ds.table) {
    const out = new Float64Array(ds.table.n).fill(NaN);
    const col = ds.targetColumn;
    if (t && col) for (let i = 0; i < col.length; i++) if (!(col[i] < 0 && t.kind === 'class')) out[i] = col[i];
    return out;
  }
  const out = new Float64Array(ds.rows.length).fill(NaN);
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
