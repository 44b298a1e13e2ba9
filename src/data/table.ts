/**
 * Rows held column by column: a {@link DataTable} keeps each numeric column in a `Float64Array`
 * (`NaN` for missing) and each categorical column as an `Int32Array` of codes into its levels
 * (`-1` for missing), so a loaded row costs 8 bytes per numeric cell and 4 per categorical one,
 * against 16–24 for a row array whose numbers V8 boxes beside strings. The extraction path holds
 * its data this way (`loadDataset(spec, { columns: true })`, `holdOutRows`); {@link rowOf} and
 * {@link rowsOf} give rows back, exactly as they were, where an algorithm wants them.
 */
import type { Dataset, Feature, Row, Schema, Value } from './types.js';

/** One column: numbers (`NaN` missing) or category codes (`-1` missing). */
export type TableColumn = Float64Array | Int32Array;

/** `n` rows of `features`, held column by column. */
export interface DataTable {
  n: number;
  features: Feature[];
  /** Per feature: a `Float64Array` (numeric, `NaN` missing) or an `Int32Array` of codes into `levels[j]` (categorical, `-1` missing). */
  columns: TableColumn[];
  /**
   * Per categorical feature, the text of each code: the feature's categories in order, then any
   * value outside them (kept so that a row reads back as it was); `null` for numeric features.
   */
  levels: (string[] | null)[];
}

/**
 * Columns for `n` rows of `features`, every cell missing; fill them with {@link setRow}.
 *
 * @example
 * const t = emptyTable([{ name: 'x', type: 'numeric' }], 2); // t.columns[0]: Float64Array [NaN, NaN]
 */
export function emptyTable(features: readonly Feature[], n: number): DataTable {
  return {
    n,
    features: features.slice(),
    columns: features.map((f) => (f.type === 'numeric' ? new Float64Array(n).fill(NaN) : new Int32Array(n).fill(-1))),
    levels: features.map((f) => (f.type === 'numeric' ? null : f.categories.slice())),
  };
}

/** Per categorical column, its level → code map (built on first use, extended as levels are added). */
const codeMaps = new WeakMap<string[], Map<string, number>>();

/**
 * The code of text `v` among `levels`, appending it when it is not there yet.
 *
 * @example
 * const levels = ['blue', 'red'];
 * levelCode(levels, 'red'); // 1
 * levelCode(levels, 'green'); // 2 (levels: ['blue', 'red', 'green'])
 */
export function levelCode(levels: string[], v: string): number {
  let m = codeMaps.get(levels);
  if (!m) codeMaps.set(levels, (m = new Map(levels.map((c, k) => [c, k]))));
  let k = m.get(v);
  if (k === undefined) {
    k = levels.length;
    levels.push(v);
    m.set(v, k);
  }
  return k;
}

/**
 * Writes `row` (aligned with `t.features`) as row `i`: numbers into numeric columns (anything else
 * is missing), texts into categorical ones (a number as its text; a value outside the levels adds
 * one).
 *
 * @example
 * setRow(t, 0, [1.5, 'red']);
 */
export function setRow(t: DataTable, i: number, row: Row): void {
  for (let j = 0; j < t.columns.length; j++) {
    const v = row[j];
    const levels = t.levels[j];
    if (levels === null) t.columns[j][i] = typeof v === 'number' ? v : NaN;
    else t.columns[j][i] = v === null || v === undefined ? -1 : levelCode(levels, String(v));
  }
}

/**
 * The table of `rows` (aligned with `features`).
 *
 * @example
 * tableOf([[1.5, 'red'], [null, 'blue']], [{ name: 'x', type: 'numeric' }, { name: 'c', type: 'categorical', categories: ['blue', 'red'] }]);
 * // { n: 2, columns: [Float64Array [1.5, NaN], Int32Array [1, 0]], levels: [null, ['blue', 'red']], ... }
 */
export function tableOf(rows: readonly Row[], features: readonly Feature[]): DataTable {
  const t = emptyTable(features, rows.length);
  for (let i = 0; i < rows.length; i++) setRow(t, i, rows[i]);
  return t;
}

/** Whether cell `i` of column `c` is missing (`NaN` in a numeric column, `-1` in a categorical one). */
export function isMissingCell(c: TableColumn, i: number): boolean {
  return c instanceof Float64Array ? Number.isNaN(c[i]) : c[i] < 0;
}

/** The value of column `j` at row `i`. */
function cell(t: DataTable, j: number, i: number): Value {
  const c = t.columns[j];
  if (isMissingCell(c, i)) return null;
  const levels = t.levels[j];
  return levels === null ? c[i] : levels[c[i]];
}

/**
 * Row `i` as a row array (a new one, or `into` filled in place: for loops that read each row
 * once and keep none).
 *
 * @example
 * rowOf(t, 1); // [null, 'blue']
 */
export function rowOf(t: DataTable, i: number, into?: Row): Row {
  const d = t.columns.length;
  const row = into ?? new Array<Value>(d);
  for (let j = 0; j < d; j++) row[j] = cell(t, j, i);
  return row;
}

/**
 * Rows `start` to `end - 1` as row arrays (for a model call or an algorithm that wants rows; a
 * chunk at a time keeps memory bounded).
 *
 * @example
 * rowsOf(t, 0, 2); // [[1.5, 'red'], [null, 'blue']]
 */
export function rowsOf(t: DataTable, start = 0, end = t.n): Row[] {
  end = Math.min(end, t.n);
  const out: Row[] = new Array(Math.max(0, end - start));
  for (let i = start; i < end; i++) out[i - start] = rowOf(t, i);
  return out;
}

/** Rows given as row arrays or held column by column: what row-reading functions accept. */
export type RowsLike = readonly Row[] | DataTable;

/** Whether `rows` is a {@link DataTable}. */
export function isTable(rows: RowsLike): rows is DataTable {
  return !Array.isArray(rows);
}

/** The number of rows. */
export function rowCount(rows: RowsLike): number {
  return isTable(rows) ? rows.n : rows.length;
}

/**
 * Reads rows by index from either form. With `scratch`, a table's row is written into one array
 * reused from call to call (for loops that read a row and keep nothing of it); otherwise each
 * call returns its own array. Row arrays are returned as they are.
 *
 * @example
 * const at = rowReader(rows, { scratch: true });
 * for (let i = 0; i < rowCount(rows); i++) if (evalConjunction(conds, at(i), index)) hits++;
 */
export function rowReader(rows: RowsLike, opts: { scratch?: boolean } = {}): (i: number) => Row {
  if (!isTable(rows)) return (i) => rows[i];
  if (!opts.scratch) return (i) => rowOf(rows, i);
  const buf: Row = new Array(rows.columns.length);
  return (i) => rowOf(rows, i, buf);
}

/**
 * Rows `start` to `end - 1` as row arrays, from either form (a slice of row arrays, or rows read
 * from a table).
 */
export function rowSlice(rows: RowsLike, start: number, end: number): Row[] {
  return isTable(rows) ? rowsOf(rows, start, end) : rows.slice(start, end);
}

/**
 * The rows `idx` of `t`, in that order, as a new table (the levels are shared).
 *
 * @example
 * pickRows(t, [1]).n; // 1
 */
export function pickRows(t: DataTable, idx: ArrayLike<number>): DataTable {
  const n = idx.length;
  const columns = t.columns.map((c) => {
    const out = c instanceof Float64Array ? new Float64Array(n) : new Int32Array(n);
    for (let k = 0; k < n; k++) out[k] = c[idx[k]];
    return out;
  });
  return { n, features: t.features, columns, levels: t.levels };
}

/**
 * `t` followed by `rows` (aligned with `t.features`), as a new table (levels copied: values
 * outside them are added).
 *
 * @example
 * appendRows(train, drawn).n; // train.n + drawn.length
 */
export function appendRows(t: DataTable, rows: readonly Row[]): DataTable {
  const n = t.n + rows.length;
  const out: DataTable = {
    n,
    features: t.features,
    columns: t.columns.map((c) => {
      const col = c instanceof Float64Array ? new Float64Array(n) : new Int32Array(n);
      col.set(c);
      return col;
    }),
    levels: t.levels.map((l) => (l === null ? null : l.slice())),
  };
  for (let i = 0; i < rows.length; i++) setRow(out, t.n + i, rows[i]);
  return out;
}

/**
 * A dataset whose rows are held in `table`: `rows` (and `target`, from `targetColumn`) are row
 * arrays made on first use only, for the code that wants them; the extraction path reads the
 * table and never makes them.
 *
 * @example
 * const ds = tableDataset('data.csv', schema, table, 0);
 * ds.table.n; // rows, column by column
 */
export function tableDataset(
  source: string,
  schema: Schema,
  table: DataTable,
  missing: number,
  targetColumn?: TableColumn,
  warnings?: string[],
): Dataset & { table: DataTable } {
  let rows: Row[] | undefined;
  let target: (string | number | null)[] | undefined;
  const ds = { source, schema, missing, table } as Dataset & { table: DataTable };
  Object.defineProperty(ds, 'rows', {
    enumerable: true,
    configurable: true,
    get: () => (rows ??= rowsOf(table)),
    set: (v: Row[]) => void (rows = v),
  });
  if (targetColumn && schema.target) {
    const classes = schema.target.kind === 'class' ? schema.target.classes : null;
    Object.defineProperty(ds, 'target', {
      enumerable: true,
      configurable: true,
      get: () =>
        (target ??= Array.from(targetColumn, (v): string | number | null => (classes ? (v < 0 ? null : classes[v]) : Number.isNaN(v) ? null : v))),
      set: (v: (string | number | null)[]) => void (target = v),
    });
    ds.targetColumn = targetColumn;
  }
  if (warnings?.length) ds.warnings = [...warnings];
  return ds;
}
