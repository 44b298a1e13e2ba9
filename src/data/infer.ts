/**
 * From raw records (names and text or number cells, as every loader produces them) to a typed
 * {@link Dataset}: picks the target, drops ignored columns, infers numeric or categorical types and
 * checks every value. Shared by the CSV, ARFF, JSON and built-in loaders so that they agree, and
 * built in two steps so that a file too large for memory can be typed while it streams past:
 *
 * 1. {@link TableScanner} takes the records one by one and keeps per-column counts, ranges and
 *    distinct values (bounded for numeric columns), never the records themselves;
 * 2. {@link planDataset} turns the scan and the load options into a {@link DatasetPlan}: the schema,
 *    per-column summaries and warnings, or the first bad value;
 * 3. {@link typeRecord} types one record by the plan (a second pass over a file, or the cells in
 *    memory).
 */
import { InputError, type ErrorLocation } from '../util/errors.js';
import type { Dataset, Feature, Row, Schema, Target, Value } from './types.js';
import { DataOptionError, type LoadOptions } from './options.js';
import { isMissingText, isNonFiniteText, numberClassName, parseNumberText, sortCategories } from './values.js';

/** What a file format declares about a column, when it declares anything (ARFF does). */
export type DeclaredType = { type: 'numeric' } | { type: 'nominal'; categories: string[] } | { type: 'string' };

/** A column of a raw table. */
export interface RawColumn {
  name: string;
  declared?: DeclaredType;
}

/** One raw cell: text (CSV, ARFF), a number, string or boolean (JSON, builtins), or `null` for missing. */
export type Cell = string | number | boolean | null;

/**
 * A table as read from a file, before typing: cells are text (CSV, ARFF), numbers, strings or
 * booleans (JSON, builtins), or `null` for missing.
 */
export interface RawTable {
  /** File (or `builtin:NAME`) for error messages. */
  file: string;
  columns: RawColumn[];
  /** Row-major cells, each row as long as `columns`. */
  cells: Cell[][];
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
 * Distinct number texts kept per column while scanning: enough for any column of codes; beyond
 * it a column that still turns out categorical has its texts collected again by a second look at
 * the records ({@link TableScan.needTexts}).
 */
const NUMBER_TEXTS_KEPT = 4096;
/** Rows from which a column of distinct integers is taken for an identifier. */
const MIN_ID_ROWS = 50;
/** Integers tracked per column to spot an id column; larger files are not checked. */
const MAX_ID_ROWS = 100_000;

/**
 * Control characters that are errors in data values: C0 controls other than tab, line feed and
 * carriage return (which quoted CSV fields may hold), DEL and the C1 controls.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * An error found by a scan or a plan that is tied to a record whose place in the file is not
 * known yet: the loader that owns the records turns it into an {@link InputError} with the line
 * (or JSON path), see {@link locateError}.
 */
export class RecordError extends Error {
  /**
   * @param record the record at fault (numbered by the loader).
   * @param detail the problem; `{ref}` in it becomes the place of record `ref` (e.g. `line 2`).
   * @param column the column at fault, if any.
   * @param ref another record the message refers to.
   */
  constructor(
    readonly record: number,
    readonly detail: string,
    readonly column?: string | number,
    readonly ref?: number,
  ) {
    super(detail);
    this.name = 'RecordError';
  }
}

/**
 * Turns a {@link RecordError} into an {@link InputError} at the record's place; other errors pass
 * through unchanged.
 *
 * @example
 * try { ... } catch (e) { throw await locateError(e, file, (k) => ({ line: k + 2 })); }
 */
export async function locateError(e: unknown, file: string, where: (record: number) => ErrorLocation | Promise<ErrorLocation>): Promise<unknown> {
  if (!(e instanceof RecordError)) return e;
  const at = await where(e.record);
  const ref = e.ref === undefined ? undefined : await where(e.ref);
  return recordInputError(e, file, at, ref);
}

/** The {@link InputError} of a {@link RecordError} whose places are known. */
export function recordInputError(e: RecordError, file: string, at: ErrorLocation, ref?: ErrorLocation): InputError {
  const place = (l: ErrorLocation | undefined) => (l?.line !== undefined ? `line ${l.line}` : (l?.path ?? `record ${(e.ref ?? 0) + 1}`));
  const detail = e.detail.includes('{ref}') ? e.detail.replace('{ref}', place(ref)) : e.detail;
  return new InputError(detail, { ...at, file, column: e.column ?? at.column });
}

function cellText(v: string | number | boolean): string {
  return typeof v === 'string' ? v.trim() : String(v);
}

function isMissingCell(v: Cell): v is null {
  return v === null || (typeof v === 'string' && isMissingText(v));
}

/** A short name for a control character in messages: `U+0000 (NUL)`. */
function controlName(c: string): string {
  const code = c.charCodeAt(0);
  const names: Record<number, string> = { 0: 'NUL', 7: 'BEL', 8: 'BS', 0x1b: 'ESC', 0x7f: 'DEL', 0x9b: 'CSI' };
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}${names[code] ? ` (${names[code]})` : ''}`;
}

/**
 * The control character in a value, if any (see {@link CONTROL}).
 *
 * @example
 * controlIn('a\u001bb'); // '\u001b'
 */
export function controlIn(v: string): string | undefined {
  return CONTROL.exec(v)?.[0];
}

/** The error for a value of record `k` holding control character `c`. */
export function controlError(k: number, c: string, column: string): RecordError {
  return new RecordError(k, `control character ${controlName(c)} in a value; data values must be text without control characters`, column);
}

/** What a scan knows about one column: counts, numeric range and sums, distinct texts. */
export class ColumnScan {
  /** Present (non-missing) cells. */
  present = 0;
  /** Present cells that are numbers, non-finite spellings (`NaN`, `Inf`) included. */
  numeric = 0;
  /** Record of the first present cell that is not a finite number (-1: none), and that cell. */
  firstBad = -1;
  firstBadCell: Cell = null;
  /** Record of the first cell holding a control character (-1: none), and the character. */
  firstControl = -1;
  control = '';
  /** Distinct texts of the present cells that are not finite numbers. */
  readonly words = new Set<string>();
  /** Distinct texts of the finite numbers; null once more than {@link NUMBER_TEXTS_KEPT}. */
  numberTexts: Set<string> | null = new Set<string>();
  /** Finite numbers: count, sum (in record order), range, and distinct integer values up to 21. */
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  integer = true;
  ints: Set<number> | null = new Set<number>();
  /** Distinct integers while every value so far is a new integer (an id column); null once not, or past {@link MAX_ID_ROWS}. */
  private ids: Set<number> | null = new Set<number>();

  /** Whether the column holds a different integer on each of the `rows` rows (at least {@link MIN_ID_ROWS}). */
  idLike(rows: number): boolean {
    return this.ids !== null && rows >= MIN_ID_ROWS && this.ids.size === rows;
  }

  /** Adds the cell of record `k`. */
  add(v: Cell, k: number): void {
    if (isMissingCell(v)) return;
    this.present++;
    if (typeof v === 'string' && CONTROL.test(v) && (this.firstControl < 0 || k < this.firstControl)) {
      this.firstControl = k;
      this.control = CONTROL.exec(v)![0];
    }
    let x: number | undefined;
    if (typeof v === 'number') x = Number.isFinite(v) ? v : undefined;
    else if (typeof v === 'string') x = parseNumberText(v);
    if (x !== undefined) {
      this.numeric++;
      this.count++;
      this.sum += x;
      if (x < this.min) this.min = x;
      if (x > this.max) this.max = x;
      if (this.ids) {
        if (!Number.isInteger(x) || this.ids.has(x) || this.ids.size >= MAX_ID_ROWS) this.ids = null;
        else this.ids.add(x);
      }
      if (!Number.isInteger(x)) this.integer = false;
      else if (this.ints) {
        this.ints.add(x);
        if (this.ints.size > MAX_INTEGER_CLASSES) this.ints = null;
      }
      if (this.numberTexts) {
        this.numberTexts.add(cellText(v as string | number));
        if (this.numberTexts.size > NUMBER_TEXTS_KEPT) this.numberTexts = null;
      }
    } else {
      if (typeof v === 'string' && isNonFiniteText(v)) this.numeric++;
      if (this.firstBad < 0 || k < this.firstBad) {
        this.firstBad = k;
        this.firstBadCell = v;
      }
      this.words.add(cellText(v));
    }
  }
}

/**
 * Scans records one at a time (see the module comment). Records are numbered by the caller
 * (`add(cells, k)`); only `k` is kept, for messages.
 *
 * @example
 * const scan = new TableScanner('x.csv', [{ name: 'a' }, { name: 'y' }]);
 * scan.add(['1', 'yes'], 0);
 * scan.add(['2', 'no'], 1);
 * planDataset(scan.result(), {}, 'x.csv').schema.target; // { name: 'y', kind: 'class', classes: ['no', 'yes'] }
 */
export class TableScanner {
  private readonly cols: ColumnScan[];
  private count = 0;

  /**
   * @param columns the table's columns, or null when they are known only at the end (CSV): the
   *   scan then grows a column per field of the widest record and takes the names in `result`.
   */
  constructor(
    readonly file: string,
    private readonly columns: RawColumn[] | null,
  ) {
    this.cols = (columns ?? []).map(() => new ColumnScan());
  }

  /** Adds one record (its cells in column order; missing trailing cells count as missing). */
  add(cells: readonly Cell[], k: number): void {
    if (!this.columns) while (this.cols.length < cells.length) this.cols.push(new ColumnScan());
    const n = Math.min(cells.length, this.cols.length);
    for (let j = 0; j < n; j++) this.cols[j].add(cells[j], k);
    this.count++;
  }

  /** The scan so far; `columns` names them when the constructor did not. */
  result(extra: { warnings?: string[]; defaultTarget?: string; columns?: RawColumn[] } = {}): TableScan {
    const columns = extra.columns ?? this.columns ?? [];
    const stats = columns.map((_, j) => this.cols[j] ?? new ColumnScan());
    return { file: this.file, columns, stats, rows: this.count, warnings: extra.warnings ?? [], defaultTarget: extra.defaultTarget };
  }
}

/** The result of scanning a table: per-column statistics, no records. */
export interface TableScan {
  file: string;
  columns: RawColumn[];
  stats: ColumnScan[];
  /** Data records scanned. */
  rows: number;
  /** Notes the loader made (e.g. a partial header). */
  warnings: string[];
  defaultTarget?: string;
  /**
   * Texts of columns whose distinct number texts were too many to keep, collected by a second
   * look at the records; set by the loader when {@link planDataset} asks for them.
   */
  texts?: Map<number, Set<string>>;
}

/** Summary of one feature or target column, as `distill datasets` shows it. */
export interface ColumnSummary {
  missing: number;
  /** Numeric columns: range and mean of the values (null without values). */
  min: number | null;
  max: number | null;
  mean: number | null;
}

/** How the target's cells become values. */
type TargetMode = 'text' | 'classNumber' | 'number';

/**
 * A typed dataset without its rows: schema, where each feature comes from, summaries, warnings.
 * {@link typeRecord} types the records by it.
 */
export interface DatasetPlan {
  source: string;
  file: string;
  schema: Schema;
  /** Column of the table each feature comes from. */
  featureCols: number[];
  /** Column of the target, or -1. */
  targetCol: number;
  targetMode: TargetMode | null;
  /** Data rows. */
  rows: number;
  /** Missing feature cells. */
  missing: number;
  warnings: string[];
  /** One per feature. */
  features: ColumnSummary[];
  /** The target's, when there is one. */
  target: ColumnSummary | null;
  /** Distinct number texts of each column (by table column), where known: what a numeric column holds. */
  numberTexts(col: number): ReadonlySet<string> | null;
  /** Interned category strings, so that typed rows share one string per category. */
  intern: Map<string, string>[];
}

/** Thrown by {@link planDataset} when categorical columns need their texts collected again. */
export class NeedTexts extends Error {
  constructor(readonly columns: number[]) {
    super(`texts of columns ${columns.join(', ')} are needed`);
    this.name = 'NeedTexts';
  }
}

/**
 * The plan of a scanned table under load options (see {@link inferDataset} for the rules).
 *
 * @throws DataOptionError when an option names a column the table lacks (the message lists them).
 * @throws RecordError for a bad value (the loader adds its line or JSON path), InputError for a
 *   table-wide problem, NeedTexts when the loader must collect the texts of some columns first.
 */
export function planDataset(scan: TableScan, opts: LoadOptions, source: string): DatasetPlan {
  const names = scan.columns.map((c) => c.name);
  const file = scan.file;
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
    } else if (scan.defaultTarget !== undefined && names.includes(scan.defaultTarget)) {
      targetCol = names.indexOf(scan.defaultTarget);
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

  // Control characters first: the earliest record among the columns used.
  let control = -1;
  for (const j of targetCol >= 0 ? [...featureCols, targetCol] : featureCols) {
    const s = scan.stats[j];
    if (s.firstControl >= 0 && (control < 0 || s.firstControl < scan.stats[control].firstControl)) control = j;
  }
  if (control >= 0) {
    const s = scan.stats[control];
    throw controlError(s.firstControl, s.control, names[control]);
  }

  const n = scan.rows;
  const types = featureCols.map((j) => typeColumn(scan, j, forced.has(j)));
  const target = targetCol >= 0 ? typeColumn(scan, targetCol, forced.has(targetCol)) : null;
  const need = [...types, ...(target ? [target] : [])].flatMap((t) => (t.kind === 'needTexts' ? [t.col] : []));
  if (need.length) throw new NeedTexts([...new Set(need)]);

  const features: Feature[] = [];
  const summaries: ColumnSummary[] = [];
  const intern: Map<string, string>[] = [];
  const warnings = [...scan.warnings];
  let missing = 0;
  featureCols.forEach((j, k) => {
    const t = types[k];
    const s = scan.stats[j];
    if (t.kind === 'numeric') features.push({ name: names[j], type: 'numeric' });
    else if (t.kind === 'categorical') features.push({ name: names[j], type: 'categorical', categories: t.categories });
    intern.push(new Map(t.kind === 'categorical' ? t.categories.map((c) => [c, c]) : []));
    summaries.push(summaryOf(s, n, t.kind === 'numeric'));
    missing += n - s.present;
    if (s.present === 0 && n > 0) warnings.push(`column "${names[j]}" has no values (all missing)`);
    if (t.kind === 'numeric' && s.idLike(n)) {
      warnings.push(`column "${names[j]}" looks like a row identifier (a different integer on every row): if it is one, drop it with --ignore ${names[j]}`);
    }
  });

  const schema: Schema = { features };
  let targetMode: TargetMode | null = null;
  let targetSummary: ColumnSummary | null = null;
  if (target && targetCol >= 0) {
    const s = scan.stats[targetCol];
    let t: Target;
    if (target.kind === 'categorical') {
      t = { name: names[targetCol], kind: 'class', classes: target.categories };
      targetMode = 'text';
      intern.push(new Map(target.categories.map((c) => [c, c])));
    } else if (s.integer && s.ints && s.ints.size > 0) {
      const classes = [...s.ints].sort((a, b) => a - b).map(numberClassName);
      t = { name: names[targetCol], kind: 'class', classes };
      targetMode = 'classNumber';
      intern.push(new Map(classes.map((c) => [c, c])));
    } else {
      t = { name: names[targetCol], kind: 'regression' };
      targetMode = 'number';
      intern.push(new Map());
    }
    if (s.present === 0 && n > 0) throw new InputError(`target column "${names[targetCol]}" has no values`, { file });
    if (defaulted && t.kind === 'regression') {
      const distinct = s.numberTexts ? String(s.numberTexts.size) : `more than ${NUMBER_TEXTS_KEPT}`;
      warnings.push(
        `no target was named, so the last column "${names[targetCol]}" is the target: a numeric column with ${distinct} distinct values, so the model is a regression; ` +
          `if the target is another column, name it with --target NAME or --target-index N`,
      );
    }
    schema.target = t;
    targetSummary = summaryOf(s, n, target.kind === 'numeric');
  }
  return {
    source,
    file,
    schema,
    featureCols,
    targetCol,
    targetMode,
    rows: n,
    missing,
    warnings,
    features: summaries,
    target: targetSummary,
    numberTexts: (col) => scan.stats[col]?.numberTexts ?? null,
    intern,
  };
}

function summaryOf(s: ColumnScan, n: number, numeric: boolean): ColumnSummary {
  const has = numeric && s.count > 0;
  return { missing: n - s.present, min: has ? s.min : null, max: has ? s.max : null, mean: has ? s.sum / s.count : null };
}

type TypedColumn = { kind: 'numeric' } | { kind: 'categorical'; categories: string[] } | { kind: 'needTexts'; col: number };

/** Types one column from its scan (see {@link inferDataset} for the rules). */
function typeColumn(scan: TableScan, j: number, forceCategorical: boolean): TypedColumn {
  const { name, declared } = scan.columns[j];
  const s = scan.stats[j];
  const texts = (): Set<string> | null => {
    const collected = scan.texts?.get(j);
    if (collected) return collected;
    if (!s.numberTexts) return null;
    return new Set([...s.words, ...s.numberTexts]);
  };
  if (forceCategorical || declared?.type === 'nominal') {
    const seen = texts();
    if (!seen) return { kind: 'needTexts', col: j };
    let categories: string[];
    if (declared?.type === 'nominal') {
      categories = [...declared.categories];
      const known = new Set(categories);
      for (const c of sortCategories([...seen].filter((c) => !known.has(c)))) categories.push(c);
    } else categories = sortCategories(seen);
    return { kind: 'categorical', categories };
  }
  const declaredNumeric = declared?.type === 'numeric';
  if (s.firstBad < 0 || declaredNumeric || (s.present > 0 && s.numeric >= NUMERIC_SHARE * s.present)) {
    if (s.firstBad >= 0) {
      const raw = s.firstBadCell as string | number | boolean;
      const text = cellText(raw);
      const detail = isNonFiniteText(text) || (typeof raw === 'number' && !Number.isFinite(raw))
        ? `expected a finite number, got ${JSON.stringify(text)}`
        : `expected a number, got ${JSON.stringify(text)}`;
      throw new RecordError(s.firstBad, detail, name);
    }
    return { kind: 'numeric' };
  }
  const seen = texts();
  if (!seen) return { kind: 'needTexts', col: j };
  return { kind: 'categorical', categories: sortCategories(seen) };
}

/**
 * Types one record by a plan: its feature row and its target value (`undefined` without target).
 * Numeric cells become numbers, categorical ones their trimmed text (one shared string per
 * category), missing cells `null`.
 *
 * @throws RecordError when a cell no longer fits the plan (the file changed since it was scanned).
 */
export function typeRecord(plan: DatasetPlan, cells: readonly Cell[], k: number): { row: Row; target: string | number | null | undefined } {
  const f = plan.schema.features;
  const row: Row = new Array<Value>(f.length);
  for (let i = 0; i < f.length; i++) {
    const v = cells[plan.featureCols[i]];
    if (v === undefined || isMissingCell(v)) row[i] = null;
    else if (f[i].type === 'numeric') row[i] = numberOf(plan, v, k, plan.featureCols[i]);
    else row[i] = internText(plan.intern[i], cellText(v));
  }
  if (plan.targetCol < 0) return { row, target: undefined };
  const v = cells[plan.targetCol];
  let target: string | number | null;
  if (v === undefined || isMissingCell(v)) target = null;
  else if (plan.targetMode === 'text') target = internText(plan.intern[f.length], cellText(v));
  else {
    const x = numberOf(plan, v, k, plan.targetCol);
    target = plan.targetMode === 'classNumber' ? internText(plan.intern[f.length], numberClassName(x)) : x;
  }
  return { row, target };
}

function internText(map: Map<string, string>, s: string): string {
  const t = map.get(s);
  if (t !== undefined) return t;
  map.set(s, s);
  return s;
}

function numberOf(plan: DatasetPlan, v: string | number | boolean, k: number, col: number): number {
  const x = typeof v === 'number' ? v : typeof v === 'string' ? parseNumberText(v) : undefined;
  if (x === undefined || !Number.isFinite(x)) {
    throw new RecordError(k, `expected a number, got ${JSON.stringify(cellText(v))} (the file changed while it was read?)`, plan.schema.features[plan.featureCols.indexOf(col)]?.name ?? plan.schema.target?.name);
  }
  return x;
}

/**
 * Collects the distinct texts of the columns a plan asked for ({@link NeedTexts}) from the
 * records, and records them in the scan.
 */
export function collectTexts(scan: TableScan, columns: readonly number[]): (cells: readonly Cell[]) => void {
  const sets = new Map(columns.map((j) => [j, new Set<string>()]));
  scan.texts = new Map([...(scan.texts ?? new Map()), ...sets]);
  return (cells) => {
    for (const [j, set] of sets) {
      const v = cells[j];
      if (v !== undefined && !isMissingCell(v)) set.add(cellText(v));
    }
  };
}

/**
 * Types a raw table into a {@link Dataset}.
 *
 * Rules: a column is numeric when all its non-missing values are finite numbers; a column where at
 * least 90 % of the non-missing values are numbers and the rest are not is an error naming the first
 * bad cell (unless forced categorical); `NaN`/`Infinity` in a numeric column is an error; anything
 * else is categorical. The target is a class label when categorical, or numeric with integer values
 * only and at most 20 distinct values; otherwise it is a regression target. Categories and classes
 * are sorted by {@link sortCategories}, except ARFF nominal declarations, which keep their order.
 * A value holding a control character (other than tab and line breaks) is an error.
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
  const locate = (e: unknown): never => {
    if (e instanceof RecordError) throw recordInputError(e, table.file, table.where(e.record), e.ref === undefined ? undefined : table.where(e.ref));
    throw e;
  };
  const scanner = new TableScanner(table.file, table.columns);
  table.cells.forEach((r, i) => scanner.add(r, i));
  const scan = scanner.result({ warnings: table.warnings, defaultTarget: table.defaultTarget });
  let plan: DatasetPlan;
  try {
    plan = planDataset(scan, opts, source);
  } catch (e) {
    if (!(e instanceof NeedTexts)) return locate(e);
    const add = collectTexts(scan, e.columns);
    for (const r of table.cells) add(r);
    try {
      plan = planDataset(scan, opts, source);
    } catch (e2) {
      return locate(e2);
    }
  }
  const rows: Row[] = new Array(table.cells.length);
  const target: (string | number | null)[] | undefined = plan.targetCol >= 0 ? new Array(table.cells.length) : undefined;
  try {
    for (let i = 0; i < table.cells.length; i++) {
      const t = typeRecord(plan, table.cells[i], i);
      rows[i] = t.row;
      if (target) target[i] = t.target ?? null;
    }
  } catch (e) {
    return locate(e);
  }
  return datasetOf(plan, rows, target);
}

/**
 * A {@link Dataset} from a plan and its typed rows.
 *
 * @example
 * datasetOf(plan, rows, targets).rows.length; // rows.length
 */
export function datasetOf(plan: DatasetPlan, rows: Row[], target: (string | number | null)[] | undefined): Dataset {
  const ds: Dataset = { source: plan.source, schema: plan.schema, rows, missing: plan.missing };
  if (plan.targetCol >= 0 && target) ds.target = target;
  if (plan.warnings.length) ds.warnings = [...plan.warnings];
  return ds;
}
