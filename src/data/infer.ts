/**
 * From a raw table (names and text or number cells, as every loader produces them) to a typed
 * {@link Dataset}: picks the target, drops ignored columns, infers numeric or categorical types and
 * checks every value. Shared by the CSV, ARFF, JSON and built-in loaders so that they agree.
 */
import { InputError, type ErrorLocation } from '../util/errors.js';
import type { Dataset, Feature, Row, Target, Value } from './types.js';
import { DataOptionError, type LoadOptions } from './options.js';
import { isMissingText, isNonFiniteText, numberClassName, parseNumberText, sortCategories } from './values.js';

/** What a file format declares about a column, when it declares anything (ARFF does). */
export type DeclaredType = { type: 'numeric' } | { type: 'nominal'; categories: string[] } | { type: 'string' };

/** A column of a raw table. */
export interface RawColumn {
  name: string;
  declared?: DeclaredType;
}

/**
 * A table as read from a file, before typing: cells are text (CSV, ARFF), numbers, strings or
 * booleans (JSON, builtins), or `null` for missing.
 */
export interface RawTable {
  /** File (or `builtin:NAME`) for error messages. */
  file: string;
  columns: RawColumn[];
  /** Row-major cells, each row as long as `columns`. */
  cells: (string | number | boolean | null)[][];
  /** Where row `i` is in the file (a line, or a JSON path). */
  where(i: number): ErrorLocation;
  /** Notes the loader already made. */
  warnings: string[];
  /** Target used when the options name none (a builtin's own target, an ARFF `class` attribute). */
  defaultTarget?: string;
}

/** Share of parseable numbers above which a column is numeric and a stray word an error. */
const NUMERIC_SHARE = 0.9;
/** A numeric target with integer values and at most this many distinct values is a class label. */
const MAX_INTEGER_CLASSES = 20;

/**
 * Types a raw table into a {@link Dataset}.
 *
 * Rules: a column is numeric when all its non-missing values are finite numbers; a column where at
 * least 90 % of the non-missing values are numbers and the rest are not is an error naming the first
 * bad cell (unless forced categorical); `NaN`/`Infinity` in a numeric column is an error; anything
 * else is categorical. The target is a class label when categorical, or numeric with integer values
 * only and at most 20 distinct values; otherwise it is a regression target. Categories and classes
 * are sorted by {@link sortCategories}, except ARFF nominal declarations, which keep their order.
 * Warnings (`Dataset.warnings`) note a target taken by default (the last column) that turned out a
 * regression target, and a numeric feature with a different integer on every row (an id).
 *
 * @param table the raw table.
 * @param opts load options (target, ignore, categorical, noTarget).
 * @param source recorded as `Dataset.source`.
 * @throws DataOptionError when an option names a column the table lacks (the message lists them).
 * @throws InputError for a bad value, naming file, line (or JSON path) and column.
 * @example
 * const ds = inferDataset({ file: 'x.csv', columns: [{ name: 'a' }, { name: 'y' }],
 *   cells: [['1', 'yes'], ['2', 'no']], where: (i) => ({ line: i + 2 }), warnings: [] }, {}, 'x.csv');
 * ds.schema.target; // { name: 'y', kind: 'class', classes: ['no', 'yes'] }
 */
export function inferDataset(table: RawTable, opts: LoadOptions, source: string): Dataset {
  const names = table.columns.map((c) => c.name);
  const file = table.file;
  const available = () => names.map((n) => JSON.stringify(n)).join(', ');
  const findColumn = (name: string, option: keyof LoadOptions, what: string): number => {
    const j = names.indexOf(name);
    if (j < 0) throw new DataOptionError(option, `unknown ${what} column "${name}"; available columns: ${available()}`, { file });
    return j;
  };
  const ignored = new Set<number>();
  for (const n of opts.ignore ?? []) ignored.add(findColumn(n, 'ignore', 'ignored'));
  const forced = new Set<number>();
  for (const n of opts.categorical ?? []) forced.add(findColumn(n, 'categorical', 'categorical'));

  let targetCol = -1;
  /** True when no option or format named the target and the last column was taken. */
  let defaulted = false;
  if (!opts.noTarget) {
    if (opts.target !== undefined) targetCol = findColumn(opts.target, 'target', 'target');
    else if (opts.targetIndex !== undefined) {
      const k = opts.targetIndex;
      if (!Number.isInteger(k) || k < -1 || k >= names.length) {
        throw new DataOptionError('targetIndex', `target index ${k} is out of range: the data has ${names.length} columns (0..${names.length - 1}, or -1 for the last)`, { file });
      }
      targetCol = k === -1 ? names.length - 1 : k;
    } else if (table.defaultTarget !== undefined && names.includes(table.defaultTarget)) {
      targetCol = names.indexOf(table.defaultTarget);
    } else {
      targetCol = names.length - 1;
      defaulted = true;
    }
    if (ignored.has(targetCol)) {
      throw new DataOptionError('ignore', `column "${names[targetCol]}" is the target and cannot be ignored`, { file });
    }
  }

  const featureCols: number[] = [];
  for (let j = 0; j < names.length; j++) if (j !== targetCol && !ignored.has(j)) featureCols.push(j);
  if (featureCols.length === 0) throw new InputError('no feature columns left (after the target and ignored columns)', { file });

  const nRows = table.cells.length;
  const rows: Row[] = Array.from({ length: nRows }, () => new Array<Value>(featureCols.length));
  const features: Feature[] = [];
  let missing = 0;
  const warnings = [...table.warnings];
  for (let k = 0; k < featureCols.length; k++) {
    const j = featureCols[k];
    const col = typeColumn(table, j, forced.has(j));
    if (col.kind === 'numeric') features.push({ name: names[j], type: 'numeric' });
    else features.push({ name: names[j], type: 'categorical', categories: col.categories });
    for (let i = 0; i < nRows; i++) {
      const v = col.values[i];
      rows[i][k] = v;
      if (v === null) missing++;
    }
    if (col.present === 0 && nRows > 0) warnings.push(`column "${names[j]}" has no values (all missing)`);
    if (col.kind === 'numeric' && looksLikeId(col.values as (number | null)[])) {
      warnings.push(`column "${names[j]}" looks like a row identifier (a different integer on every row): if it is one, drop it with --ignore ${names[j]}`);
    }
  }

  const ds: Dataset = { source, schema: { features }, rows, missing };
  if (targetCol >= 0) {
    const col = typeColumn(table, targetCol, forced.has(targetCol));
    let target: Target;
    let values: (string | number | null)[];
    if (col.kind === 'categorical') {
      target = { name: names[targetCol], kind: 'class', classes: col.categories };
      values = col.values;
    } else {
      const nums = col.values as (number | null)[];
      const distinct = new Set<number>();
      let integer = true;
      for (const v of nums) {
        if (v === null) continue;
        if (!Number.isInteger(v)) integer = false;
        distinct.add(v);
      }
      if (integer && distinct.size > 0 && distinct.size <= MAX_INTEGER_CLASSES) {
        const classes = [...distinct].sort((a, b) => a - b).map(numberClassName);
        target = { name: names[targetCol], kind: 'class', classes };
        values = nums.map((v) => (v === null ? null : numberClassName(v)));
      } else {
        target = { name: names[targetCol], kind: 'regression' };
        values = nums;
      }
    }
    if (col.present === 0 && nRows > 0) throw new InputError(`target column "${names[targetCol]}" has no values`, { file });
    if (defaulted && target.kind === 'regression') {
      const distinct = new Set(col.values.filter((v) => v !== null)).size;
      warnings.push(
        `no target was named, so the last column "${names[targetCol]}" is the target: a numeric column with ${distinct} distinct values, so the model is a regression; ` +
          `if the target is another column, name it with --target NAME or --target-index N`,
      );
    }
    ds.schema.target = target;
    ds.target = values;
  }
  if (warnings.length) ds.warnings = warnings;
  return ds;
}

/** Rows from which a column of distinct integers is taken for an identifier. */
const MIN_ID_ROWS = 50;

/** A numeric column holding a different integer on every row (and at least {@link MIN_ID_ROWS} rows): an id, most likely. */
function looksLikeId(values: readonly (number | null)[]): boolean {
  if (values.length < MIN_ID_ROWS) return false;
  const seen = new Set<number>();
  for (const v of values) {
    if (v === null || !Number.isInteger(v) || seen.has(v)) return false;
    seen.add(v);
  }
  return true;
}

type TypedColumn =
  | { kind: 'numeric'; values: (number | null)[]; present: number }
  | { kind: 'categorical'; values: (string | null)[]; categories: string[]; present: number };

function cellText(v: string | number | boolean): string {
  return typeof v === 'string' ? v.trim() : String(v);
}

/** Types one column of the table (see {@link inferDataset} for the rules). */
function typeColumn(table: RawTable, j: number, forceCategorical: boolean): TypedColumn {
  const name = table.columns[j].name;
  const declared = table.columns[j].declared;
  const n = table.cells.length;
  const isMissing = (v: string | number | boolean | null): v is null =>
    v === null || (typeof v === 'string' && isMissingText(v));

  // The column as text: its values (null where missing), the distinct ones, and how many are present.
  const asText = () => {
    const values: (string | null)[] = new Array(n);
    const seen = new Set<string>();
    let present = 0;
    for (let i = 0; i < n; i++) {
      const v = table.cells[i][j];
      if (isMissing(v)) values[i] = null;
      else {
        const s = cellText(v);
        values[i] = s;
        seen.add(s);
        present++;
      }
    }
    return { values, seen, present };
  };

  if (forceCategorical || declared?.type === 'nominal') {
    const { values, seen, present } = asText();
    let categories: string[];
    if (declared?.type === 'nominal') {
      categories = [...declared.categories];
      for (const s of sortCategories([...seen].filter((s) => !categories.includes(s)))) categories.push(s);
    } else categories = sortCategories(seen);
    return { kind: 'categorical', values, categories, present };
  }

  // Numeric when every present value parses; count to tell a numeric column with a typo from text.
  const nums: (number | null)[] = new Array(n);
  let present = 0;
  let numeric = 0;
  let firstBad = -1;
  for (let i = 0; i < n; i++) {
    const v = table.cells[i][j];
    if (isMissing(v)) {
      nums[i] = null;
      continue;
    }
    present++;
    let x: number | undefined;
    if (typeof v === 'number') x = Number.isFinite(v) ? v : undefined;
    else if (typeof v === 'string') x = parseNumberText(v);
    if (x !== undefined) {
      numeric++;
      nums[i] = x;
    } else {
      nums[i] = null;
      if (typeof v === 'string' && isNonFiniteText(v)) numeric++;
      if (firstBad < 0) firstBad = i;
    }
  }
  const declaredNumeric = declared?.type === 'numeric';
  if (firstBad < 0 || declaredNumeric || (present > 0 && numeric >= NUMERIC_SHARE * present)) {
    if (firstBad >= 0) {
      const raw = table.cells[firstBad][j] as string | number | boolean;
      const text = cellText(raw);
      const detail = isNonFiniteText(text) || (typeof raw === 'number' && !Number.isFinite(raw))
        ? `expected a finite number, got ${JSON.stringify(text)}`
        : `expected a number, got ${JSON.stringify(text)}`;
      throw new InputError(detail, { ...table.where(firstBad), file: table.file, column: name });
    }
    return { kind: 'numeric', values: nums, present };
  }
  const { values, seen } = asText();
  return { kind: 'categorical', values, categories: sortCategories(seen), present };
}
