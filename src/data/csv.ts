/**
 * CSV loading on top of csv-parse (RFC 4180 quoting, CRLF, BOM), with what csv-parse does not do:
 * header detection, naming of headerless columns, ragged-row errors that name the line, and the
 * repair of a header that names fewer columns than the rows have (as in UCI's `wdbc.data`).
 *
 * Text in memory is parsed with csv-parse's sync API ({@link parseCsv}); a file is read with its
 * stream API ({@link csvFileTable}), a batch of records at a time, so that a file of any size is
 * typed and read in bounded memory. Both decide the header and the width with one
 * {@link CsvLayout}.
 */
import type { Readable } from 'node:stream';
import { parse as parseStream, type Options as CsvOptions } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { InputError, type ErrorLocation } from '../util/errors.js';
import { openRegularFile } from '../util/io.js';
import type { Dataset, Feature, Row } from './types.js';
import type { LoadOptions } from './options.js';
import { controlError, controlIn, inferDataset, RecordError, recordInputError, TableScanner, type Cell, type RawTable, type TableScan } from './infer.js';
import { isMissingText, isNonFiniteText, parseNumberText } from './values.js';

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** csv-parse options of every CSV read (fields trimmed, ragged rows reported by us, blank lines skipped). */
function csvOptions(delimiter: string): CsvOptions {
  return { bom: true, trim: true, relax_column_count: true, skip_empty_lines: true, delimiter };
}

/** The delimiter of a file: tab for `.tsv`, else comma. */
export function csvDelimiter(file: string): string {
  return /\.tsv$/i.test(file) ? '\t' : ',';
}

/** A line of spaces parses as one empty field: treat it as blank. */
const blank = (r: string[]) => r.length === 1 && r[0] === '';

function syntaxError(e: unknown, file: string): InputError {
  const err = e as { message?: string; lines?: number };
  const msg = (err.message ?? String(e)).replace(/\s*at line \d+\.?$/, '');
  return new InputError(`CSV syntax error: ${msg}`, { file, line: err.lines });
}

/**
 * How a CSV file's records make a table: whether the first record is a header, the width, the
 * column names. Fed the (non-blank) records one at a time, it keeps only the first record, a sample
 * of the next 1000 and a few counters, so the same decision is made for text in memory and for a
 * file streamed past.
 *
 * The header is detected unless `header` says otherwise: the first record is a header when none of
 * its cells is a number and either some column is numeric below it, or the first record has a
 * different length from the rows, or none of its cells occurs again in its column.
 */
export class CsvLayout {
  private first: string[] | null = null;
  private k = 0;
  /** Records 1..1000 (the body's first rows when the first record is a header). */
  private readonly sample: string[][] = [];
  private len1 = -1;
  /** First record (k >= 1) whose length differs from the first record's, and its length. */
  private mismatch0 = -1;
  private mismatch0Len = 0;
  /** First record (k >= 2) whose length differs from record 1's, and its length. */
  private mismatch1 = -1;
  private mismatch1Len = 0;
  private anyEqualFirst = false;
  private recurs: boolean[] = [];
  private header: boolean | undefined;

  constructor(
    readonly file: string,
    header?: boolean,
  ) {
    this.header = header;
  }

  /** Records seen. */
  get records(): number {
    return this.k;
  }

  /**
   * Adds the next record. Returns true when it is data, false when it is the header, undefined for
   * the first record while that is not decided yet (it is then known to hold no number).
   */
  add(rec: string[]): boolean | undefined {
    const k = this.k++;
    if (k === 0) {
      this.first = rec;
      this.recurs = new Array<boolean>(rec.length).fill(false);
      if (this.header === undefined && (rec.some(isNumberLike) || rec.every((c) => isMissingText(c)))) this.header = false;
      return this.header === undefined ? undefined : !this.header;
    }
    const first = this.first!;
    if (k === 1) this.len1 = rec.length;
    if (rec.length !== first.length) {
      if (this.mismatch0 < 0) [this.mismatch0, this.mismatch0Len] = [k, rec.length];
    } else this.anyEqualFirst = true;
    if (k >= 2 && rec.length !== this.len1 && this.mismatch1 < 0) [this.mismatch1, this.mismatch1Len] = [k, rec.length];
    if (k <= 1000) this.sample.push(rec);
    if (this.header === undefined) {
      for (let j = 0; j < first.length; j++) if (!this.recurs[j] && rec[j] === first[j]) this.recurs[j] = true;
    }
    return true;
  }

  /**
   * The layout once every record was added.
   *
   * @throws InputError for an empty file; RecordError (record numbers as added, from 0) for a file
   *   with only a header or a row with the wrong number of fields.
   */
  finish(): { hasHeader: boolean; names: string[]; width: number; warnings: string[] } {
    const first = this.first;
    if (!first) throw new InputError('empty file: no rows', { file: this.file });
    const hasHeader = this.header ?? this.detect();
    if (hasHeader && this.k === 1) throw new RecordError(0, 'no data rows below the header');
    const head = hasHeader ? first : null;
    const bodyFirst = hasHeader ? this.len1 : first.length;
    // Expected width: the header's, unless the header is shorter than the rows (a partial header).
    const width = head && head.length >= bodyFirst ? head.length : bodyFirst;
    if (width === first.length) {
      if (this.mismatch0 >= 0) {
        const from = head ? 'as in the header' : 'as on {ref}';
        throw new RecordError(this.mismatch0, `expected ${width} fields (${from}), got ${this.mismatch0Len}`, undefined, head ? undefined : 0);
      }
    } else if (this.mismatch1 >= 0) {
      throw new RecordError(this.mismatch1, `expected ${width} fields (as on {ref}), got ${this.mismatch1Len}`, undefined, 1);
    }

    const warnings: string[] = [];
    let names: string[];
    if (head) {
      // A partial header (fewer names than fields): put the names at the left or the right end,
      // whichever lands more of them on text columns (UCI's wdbc.data names its leading id and
      // diagnosis; letter.csv misses one name but ends with the letter); the rest become col_N.
      const offset = head.length < width ? partialHeaderOffset(head, this.sample, width) : 0;
      names = Array.from({ length: width }, (_, j) => {
        const h = j - offset >= 0 && j - offset < head.length ? head[j - offset] : '';
        return h !== '' ? h : `col_${j}`;
      });
      if (head.length < width) {
        const named = offset === 0 ? `the first ${head.length}` : `the last ${head.length}`;
        const [a, b] = offset === 0 ? [head.length, width - 1] : [0, offset - 1];
        const rest = a === b ? `col_${a}` : `col_${a}..col_${b}`;
        warnings.push(`the header names ${head.length} of ${width} columns: taken as names of ${named} (the others are called ${rest}); check them`);
      }
      const unnamed = head.map((h, j) => (h === '' ? j + offset : -1)).filter((j) => j >= 0);
      if (unnamed.length) warnings.push(`header cells ${unnamed.join(', ')} are empty; named col_N`);
    } else {
      names = Array.from({ length: width }, (_, j) => `col_${j}`);
    }
    return { hasHeader, names: uniqueNames(names, warnings), width, warnings };
  }

  /** The header heuristic (see the class comment), once every record was seen. */
  private detect(): boolean {
    const first = this.first!;
    if (this.k === 1) return true;
    if (!this.anyEqualFirst) return true;
    for (let j = 0; j < first.length; j++) {
      let present = 0;
      let numeric = 0;
      for (const r of this.sample) {
        if (j >= r.length || isMissingText(r[j])) continue;
        present++;
        if (isNumberLike(r[j])) numeric++;
      }
      if (present > 0 && numeric >= 0.9 * present) return true;
    }
    // All text: a header's names do not occur again in their columns.
    if (this.recurs.some(Boolean)) return false;
    return new Set(first).size === first.length;
  }
}

/**
 * Parses CSV text into a raw table (names and text cells). Fields are trimmed (so `a, b` reads as
 * `a` and `b`); blank lines are skipped. Headerless files get column names `col_0`, `col_1`, ...
 * The header is detected as {@link CsvLayout} says unless `opts.header` is given.
 *
 * @param text file contents.
 * @param file name for messages.
 * @param opts `header` and `delimiter` (default `,`).
 * @throws InputError for an empty file, a quoting error, or a row with the wrong number of fields
 *   (`data.csv:7: expected 5 fields (as on line 2), got 4`).
 * @example
 * parseCsv('a,b\n1,x\n', 'd.csv').columns.map((c) => c.name); // ['a', 'b']
 */
export function parseCsv(text: string, file: string, opts: { header?: boolean; delimiter?: string } = {}): RawTable {
  const options = csvOptions(opts.delimiter ?? ',');
  let records: string[][];
  try {
    records = parse(text, options) as string[][];
  } catch (e) {
    throw syntaxError(e, file);
  }
  records = records.filter((r) => !blank(r));
  // Line numbers are only needed for messages: found by a second parse (with csv-parse's `info`,
  // which costs ~40 % more) the first time one is asked for.
  let lines: number[] | null = null;
  const lineOf = (k: number): number => {
    if (!lines) {
      const withInfo = parse(text, { ...options, info: true }) as unknown as CsvRecord[];
      lines = withInfo.filter((r) => !blank(r.record)).map((r) => r.info.lines);
    }
    return lines[k];
  };
  const layout = new CsvLayout(file, opts.header);
  for (const r of records) layout.add(r);
  let lay;
  try {
    lay = layout.finish();
  } catch (e) {
    if (e instanceof RecordError) throw recordInputError(e, file, { line: lineOf(e.record) }, e.ref === undefined ? undefined : { line: lineOf(e.ref) });
    throw e;
  }
  const skip = lay.hasHeader ? 1 : 0;
  return {
    file,
    columns: lay.names.map((name) => ({ name })),
    cells: lay.hasHeader ? records.slice(1) : records,
    where: (i) => ({ line: lineOf(i + skip) }),
    warnings: lay.warnings,
  };
}

/**
 * Loads CSV text into a typed {@link Dataset} (see {@link parseCsv} and `inferDataset`).
 *
 * @throws InputError for malformed files and bad values, naming file, line and column.
 * @example
 * const ds = loadCsv('x,y\n1,a\n2,b\n', 'd.csv', { target: 'y' });
 * ds.rows; // [[1], [2]]
 */
export function loadCsv(text: string, file: string, opts: LoadOptions = {}, source = file): Dataset {
  return inferDataset(parseCsv(text, file, { header: opts.header, delimiter: csvDelimiter(file) }), opts, source);
}

/**
 * Reads an object-mode stream in batches of up to `size` items, waiting for more only when the
 * stream's buffer is empty (no promise per item).
 */
async function* readBatches<T>(stream: Readable, size: number): AsyncGenerator<T[]> {
  let done = false;
  let error: unknown = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  stream.on('readable', signal);
  stream.on('end', () => {
    done = true;
    signal();
  });
  stream.on('error', (e) => {
    error = e;
    signal();
  });
  let batch: T[] = [];
  for (;;) {
    let item: T | null;
    while ((item = stream.read() as T | null) !== null) {
      batch.push(item);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (error) throw error;
    if (done) break;
    await new Promise<void>((resolve) => (wake = resolve));
  }
  if (batch.length) yield batch;
}

/**
 * Bytes read from a CSV file at a time. csv-parse parses a whole chunk at once, so a chunk's
 * records all wait in its buffer until read: with 64 KiB (about 1,000 records) they are read
 * before the next minor garbage collection and die young, where 1 MiB chunks (15,000 records)
 * outlived it, were moved to the old generation, and made the heap of a streamed pass grow.
 */
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Where a streamed CSV comes from: a regular file (read again for every pass), or a stream that
 * can be read once (standard input).
 */
export interface CsvInput {
  /** The path, or `-` for standard input: named in messages. */
  file: string;
  delimiter: string;
  /** Opens the bytes from the start (a file is checked to be a regular file first). */
  open(): Promise<Readable>;
  /** A stream read once: a second pass is refused, and line numbers are kept as it is read. */
  once: boolean;
}

/** The {@link CsvInput} of a regular file. */
export function csvFileInput(path: string): CsvInput {
  return {
    file: path,
    delimiter: csvDelimiter(path),
    once: false,
    async open() {
      const { handle } = await openRegularFile(path, 'a data file');
      return handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
    },
  };
}

/**
 * Line numbers of the records of a stream read once, kept as change points: a record whose line
 * is its number plus the same offset as the record before costs nothing, so a file without blank
 * lines or quoted line breaks is indexed in a few bytes whatever its size.
 */
export class LineIndex {
  private readonly at: number[] = [];
  private readonly offset: number[] = [];

  /** Notes that record `k` (added in order) starts on `line`. */
  add(k: number, line: number): void {
    const d = line - k;
    if (this.offset.length === 0 || this.offset[this.offset.length - 1] !== d) {
      this.at.push(k);
      this.offset.push(d);
    }
  }

  /** The line of record `k`, or undefined before the first record. */
  line(k: number): number | undefined {
    let lo = 0;
    let hi = this.at.length - 1;
    if (hi < 0 || k < this.at[0]) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.at[mid] <= k) lo = mid;
      else hi = mid - 1;
    }
    return k + this.offset[lo];
  }
}

/**
 * The non-blank records of a CSV input, in batches, through csv-parse's stream API. With `lines`,
 * each record's line is noted in it (csv-parse's `info`, which costs about 40 % more parsing: used
 * for a stream read once, whose lines cannot be found by reading it again).
 */
async function* csvRecords(src: CsvInput, size: number, lines?: LineIndex): AsyncGenerator<string[][]> {
  const input = await src.open();
  const parser = parseStream({ ...csvOptions(src.delimiter), info: lines !== undefined });
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let k = 0;
  try {
    if (lines) {
      for await (const batch of readBatches<CsvRecord>(parser, size)) {
        const kept: string[][] = [];
        for (const r of batch) {
          if (blank(r.record)) continue;
          lines.add(k++, r.info.lines);
          kept.push(r.record);
        }
        if (kept.length) yield kept;
      }
      return;
    }
    for await (const batch of readBatches<string[]>(parser, size)) {
      const kept = batch.some(blank) ? batch.filter((r) => !blank(r)) : batch;
      if (kept.length) yield kept;
    }
  } catch (e) {
    throw isFsError(e) ? new InputError((e as Error).message, { file: src.file }) : syntaxError(e, src.file);
  } finally {
    input.destroy();
    parser.destroy();
  }
}

function isFsError(e: unknown): boolean {
  return typeof (e as NodeJS.ErrnoException)?.code === 'string' && (e as NodeJS.ErrnoException).code!.startsWith('E') && !(e as { lines?: number }).lines;
}

/** The line of each of the records `ks` (non-blank records numbered from 0), by reading the file again with line information. */
async function csvLines(path: string, delimiter: string, ks: readonly number[]): Promise<Map<number, number>> {
  const want = new Set(ks);
  const last = Math.max(...ks);
  const out = new Map<number, number>();
  const input = await csvFileInput(path).open();
  const parser = parseStream({ ...csvOptions(delimiter), info: true });
  input.pipe(parser);
  let k = 0;
  try {
    outer: for await (const batch of readBatches<CsvRecord>(parser, 4096)) {
      for (const r of batch) {
        if (blank(r.record)) continue;
        if (want.has(k)) out.set(k, r.info.lines);
        if (k++ >= last) break outer;
      }
    }
  } finally {
    input.destroy();
    parser.destroy();
  }
  return out;
}

/**
 * A streamed CSV as a table that can be scanned and read again without holding it: `scan()`
 * makes one pass deciding the layout and scanning every column; `records()` reads the data
 * records again in batches (a file only: a stream read once has no second pass); `where(k)` finds
 * the line of record `k` for a message.
 */
export interface CsvFileTable {
  file: string;
  scan(): Promise<TableScan>;
  records(size: number): AsyncGenerator<{ cells: Cell[][]; start: number }>;
  where(k: number): Promise<ErrorLocation>;
}

/**
 * A CSV input read through csv-parse's stream API (see {@link CsvFileTable}): a path, or a
 * {@link CsvInput} (standard input). Records are numbered from 0 over the non-blank records, the
 * header included.
 *
 * @throws InputError from `records()` of a stream read once: `-: standard input was read once
 *   (a scan); this needs a second pass`.
 * @example
 * const t = csvFileTable('big.csv');
 * const scan = await t.scan();
 */
export function csvFileTable(input: string | CsvInput, opts: { header?: boolean } = {}): CsvFileTable {
  const src = typeof input === 'string' ? csvFileInput(input) : input;
  const path = src.file;
  const lines = src.once ? new LineIndex() : undefined;
  let skip = -1;
  const where = async (k: number): Promise<ErrorLocation> => ({ line: (await recordLines(src, lines, [k])).get(k) });
  const locate = (e: unknown) => locateRecordError(e, src, lines);
  let scanned = false;
  return {
    file: path,
    where,
    async scan() {
      if (src.once && scanned) throw onceError(src);
      scanned = true;
      const layout = new CsvLayout(path, opts.header);
      // Columns grow with the widest record seen; names come from the layout at the end.
      const scanner = new TableScanner(path, null);
      let firstRecord: string[] | null = null;
      // The first record's role may stay open until the end: it then holds no number, so adding
      // it last changes no sum.
      let firstIsData: boolean | undefined;
      try {
        for await (const batch of csvRecords(src, 4096, lines)) {
          for (const rec of batch) {
            const k = layout.records;
            const role = layout.add(rec);
            if (k === 0) {
              firstRecord = rec;
              firstIsData = role;
              if (role === true) scanner.add(rec, 0);
            } else scanner.add(rec, k);
          }
        }
        const lay = layout.finish();
        skip = lay.hasHeader ? 1 : 0;
        if (!lay.hasHeader && firstIsData === undefined && firstRecord) scanner.add(firstRecord, 0);
        return scanner.result({ warnings: lay.warnings, columns: lay.names.map((name) => ({ name })) });
      } catch (e) {
        throw await locate(e);
      }
    },
    async *records(size: number) {
      if (skip < 0) throw new Error('csvFileTable: records() before scan()');
      if (src.once) throw onceError(src);
      let k = 0;
      for await (const batch of csvRecords(src, size)) {
        let cells: Cell[][] = batch;
        let start = k;
        if (k < skip) {
          cells = batch.slice(skip - k);
          start = skip;
        }
        k += batch.length;
        if (cells.length) yield { cells, start };
      }
    },
  };
}

/** The lines of records `ks`: from `lines` for a stream read once, else by reading the file again. */
async function recordLines(src: CsvInput, lines: LineIndex | undefined, ks: number[]): Promise<Map<number, number | undefined>> {
  return lines ? new Map(ks.map((k) => [k, lines.line(k)])) : csvLines(src.file, src.delimiter, ks);
}

/** A {@link RecordError} as an InputError naming its file and line (and the line it refers to); any other error as it is. */
async function locateRecordError(e: unknown, src: CsvInput, lines: LineIndex | undefined): Promise<unknown> {
  if (!(e instanceof RecordError)) return e;
  const found = await recordLines(src, lines, e.ref === undefined ? [e.record] : [e.record, e.ref]);
  return recordInputError(e, src.file, { line: found.get(e.record) }, e.ref === undefined ? undefined : { line: found.get(e.ref) });
}

/** The error for a second pass over a stream read once. */
export function onceError(src: Pick<CsvInput, 'file'>): InputError {
  return new InputError('standard input can be read only once, and this needs a second pass over the data; give a file instead', { file: src.file });
}

/**
 * The records of a streamed CSV typed by a schema known beforehand (the features of a rule set or
 * of a model's encoder), in one pass: no scan, so a file is read once and standard input can be
 * read at all. Columns are matched by name and typed by the schema, not by inference: the first
 * record is the header when it names every feature (or when the features are not all named
 * `col_N`, the names of a headerless file); a numeric feature takes numbers (anything else is an
 * error naming line and column); a categorical feature takes the text (a number such as `1.0`
 * standing for category `1` is read as it); missing cells are `null`. Rows hold the features in
 * the order given.
 *
 * Errors surface at the record where they are found: a caller writing rows as they come has
 * written the rows before it.
 *
 * @param needer who needs the columns, for messages (`the model`, `the rules`).
 * @throws InputError for a missing column (listing the file's columns), a row with the wrong
 *   number of fields, a bad number or a control character (with its line).
 * @example
 * for await (const b of csvRowsBySchema(csvFileInput('big.csv'), rs.schema.features, 1024, 'the rules')) apply(b.rows);
 */
export async function* csvRowsBySchema(src: CsvInput, features: readonly Feature[], size: number, needer: string): AsyncGenerator<{ start: number; rows: Row[] }> {
  const lines = src.once ? new LineIndex() : undefined;
  const locate = (e: unknown) => locateRecordError(e, src, lines);
  const m = features.length;
  let cols: number[] = [];
  let width = -1;
  let hasHeader = false;
  // Categories by text, so that typed rows share one string per category.
  const cats = features.map((f) => (f.type === 'categorical' ? new Map(f.categories.map((c) => [c, c])) : null));
  let k = 0;
  let n = 0;
  try {
    for await (const batch of csvRecords(src, size, lines)) {
      const rows: Row[] = [];
      const start = n;
      for (const rec of batch) {
        if (width < 0) {
          ({ cols, hasHeader } = schemaColumns(rec, features, src.file, needer));
          width = rec.length;
          if (hasHeader) {
            k++;
            continue;
          }
        }
        if (rec.length !== width) {
          throw new RecordError(k, `expected ${width} fields (${hasHeader ? 'as in the header' : 'as on {ref}'}), got ${rec.length}`, undefined, hasHeader ? undefined : 0);
        }
        const row: Row = new Array(m);
        for (let i = 0; i < m; i++) {
          const v = rec[cols[i]];
          const f = features[i];
          if (isMissingText(v)) row[i] = null;
          else if (f.type === 'numeric') {
            const x = parseNumberText(v);
            if (x === undefined) throw new RecordError(k, `expected ${isNonFiniteText(v) ? 'a finite number' : 'a number'}, got ${JSON.stringify(v)}`, f.name);
            row[i] = x;
          } else {
            const known = cats[i]!.get(v);
            if (known !== undefined) row[i] = known;
            else {
              const c = controlIn(v);
              if (c !== undefined) throw controlError(k, c, f.name);
              const x = parseNumberText(v);
              row[i] = (x !== undefined && cats[i]!.get(String(x))) || v;
            }
          }
        }
        rows.push(row);
        k++;
      }
      n += rows.length;
      if (rows.length) yield { start, rows };
    }
    if (width < 0) throw new InputError('empty file: no rows', { file: src.file });
    if (hasHeader && n === 0) throw new RecordError(0, 'no data rows below the header');
  } catch (e) {
    throw await locate(e);
  }
}

/** Where each feature is in the records, and whether the first record (`first`) is a header. */
function schemaColumns(first: string[], features: readonly Feature[], file: string, needer: string): { cols: number[]; hasHeader: boolean } {
  // No column needed (a rule set of its default alone): a first record without numbers is a header.
  if (features.length === 0) return { cols: [], hasHeader: !first.some(isNumberLike) };
  const names = uniqueNames(first, []);
  const index = new Map(names.map((c, j) => [c, j]));
  if (features.every((f) => index.has(f.name))) return { cols: features.map((f) => index.get(f.name)!), hasHeader: true };
  const positional = features.map((f) => /^col_(\d+)$/.exec(f.name));
  if (positional.every((p) => p !== null && Number(p[1]) < first.length)) return { cols: positional.map((p) => Number(p![1])), hasHeader: false };
  const headerless = first.some(isNumberLike);
  const have = headerless ? first.map((_, j) => `col_${j}`) : names;
  const missing = features.find((f) => !have.includes(f.name))!;
  throw new InputError(`the data has no column "${missing.name}" (needed by ${needer}); its columns: ${have.map((h) => JSON.stringify(h)).join(', ')}`, { file });
}

function isNumberLike(s: string): boolean {
  return parseNumberText(s) !== undefined || isNonFiniteText(s);
}

/** 0 to align a short header with the first columns, `width - head.length` to align it with the last. */
function partialHeaderOffset(head: string[], rows: string[][], width: number): number {
  const sample = rows.slice(0, 1000);
  const text = Array.from({ length: width }, (_, j) => {
    let present = 0;
    let numeric = 0;
    for (const r of sample) {
      if (j >= r.length || isMissingText(r[j])) continue;
      present++;
      if (isNumberLike(r[j])) numeric++;
    }
    return present > 0 && numeric < 0.9 * present;
  });
  const score = (offset: number) => head.filter((h, k) => h !== '' && text[k + offset]).length;
  const right = width - head.length;
  return score(right) > score(0) ? right : 0;
}

/** Makes column names unique (`x`, `x_2`, ...), noting each rename. */
function uniqueNames(names: string[], warnings: string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    if (!used.has(n)) {
      used.add(n);
      return n;
    }
    let k = 2;
    while (used.has(`${n}_${k}`)) k++;
    const m = `${n}_${k}`;
    used.add(m);
    warnings.push(`duplicate column name "${n}" renamed "${m}"`);
    return m;
  });
}
