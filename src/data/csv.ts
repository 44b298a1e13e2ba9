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
import type { Dataset } from './types.js';
import type { LoadOptions } from './options.js';
import { inferDataset, RecordError, recordInputError, TableScanner, type Cell, type RawTable, type TableScan } from './infer.js';
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
 * The non-blank records of a CSV file, in batches, through csv-parse's stream API. The file must
 * be a regular file (checked before reading); `info` adds each record's line.
 */
async function* csvFileRecords(path: string, delimiter: string, size: number): AsyncGenerator<string[][]> {
  const { handle } = await openRegularFile(path, 'a data file');
  const input = handle.createReadStream({ highWaterMark: 1 << 20 });
  const parser = parseStream(csvOptions(delimiter));
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  try {
    for await (const batch of readBatches<string[]>(parser, size)) {
      const kept = batch.some(blank) ? batch.filter((r) => !blank(r)) : batch;
      if (kept.length) yield kept;
    }
  } catch (e) {
    throw isFsError(e) ? new InputError((e as Error).message, { file: path }) : syntaxError(e, path);
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
  const { handle } = await openRegularFile(path, 'a data file');
  const input = handle.createReadStream({ highWaterMark: 1 << 20 });
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
 * A CSV file as a table that can be scanned and read again any number of times without holding it:
 * `scan()` makes one pass deciding the layout and scanning every column; `records()` reads the
 * data records again in batches; `where(k)` finds the line of record `k` for a message.
 */
export interface CsvFileTable {
  file: string;
  scan(): Promise<TableScan>;
  records(size: number): AsyncGenerator<{ cells: Cell[][]; start: number }>;
  where(k: number): Promise<ErrorLocation>;
}

/**
 * A CSV file read through csv-parse's stream API (see {@link CsvFileTable}). Records are numbered
 * from 0 over the non-blank records, the header included.
 *
 * @example
 * const t = csvFileTable('big.csv');
 * const scan = await t.scan();
 */
export function csvFileTable(path: string, opts: { header?: boolean } = {}): CsvFileTable {
  const delimiter = csvDelimiter(path);
  let skip = -1;
  const where = async (k: number): Promise<ErrorLocation> => ({ line: (await csvLines(path, delimiter, [k])).get(k) });
  const locate = async (e: unknown): Promise<unknown> => {
    if (!(e instanceof RecordError)) return e;
    const lines = await csvLines(path, delimiter, e.ref === undefined ? [e.record] : [e.record, e.ref]);
    return recordInputError(e, path, { line: lines.get(e.record) }, e.ref === undefined ? undefined : { line: lines.get(e.ref) });
  };
  return {
    file: path,
    where,
    async scan() {
      const layout = new CsvLayout(path, opts.header);
      // Columns grow with the widest record seen; names come from the layout at the end.
      const scanner = new TableScanner(path, null);
      let firstRecord: string[] | null = null;
      // The first record's role may stay open until the end: it then holds no number, so adding
      // it last changes no sum.
      let firstIsData: boolean | undefined;
      try {
        for await (const batch of csvFileRecords(path, delimiter, 4096)) {
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
      let k = 0;
      for await (const batch of csvFileRecords(path, delimiter, size)) {
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
