/**
 * CSV loading on top of csv-parse (RFC 4180 quoting, CRLF, BOM), with what csv-parse does not do:
 * header detection, naming of headerless columns, ragged-row errors that name the line, and the
 * repair of a header that names fewer columns than the rows have (as in UCI's `wdbc.data`).
 */
import { parse } from 'csv-parse/sync';
import { InputError } from '../util/errors.js';
import type { Dataset } from './types.js';
import type { LoadOptions } from './options.js';
import { inferDataset, type RawTable } from './infer.js';
import { isMissingText, isNonFiniteText, parseNumberText } from './values.js';

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Parses CSV text into a raw table (names and text cells). Fields are trimmed (so `a, b` reads as
 * `a` and `b`); blank lines are skipped. Headerless files get column names `col_0`, `col_1`, ...
 *
 * The header is detected unless `opts.header` says otherwise: the first record is a header when
 * none of its cells is a number and either some column is numeric below it, or the first record has
 * a different length from the rows, or none of its cells occurs again in its column.
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
  const options = {
    bom: true,
    trim: true,
    relax_column_count: true,
    skip_empty_lines: true,
    delimiter: opts.delimiter ?? ',',
  };
  let records: string[][];
  try {
    records = parse(text, options) as string[][];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    const msg = (err.message ?? String(e)).replace(/\s*at line \d+\.?$/, '');
    throw new InputError(`CSV syntax error: ${msg}`, { file, line: err.lines });
  }
  // A line of spaces parses as one empty field: treat it as blank.
  const blank = (r: string[]) => r.length === 1 && r[0] === '';
  records = records.filter((r) => !blank(r));
  if (records.length === 0) throw new InputError('empty file: no rows', { file });
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

  const hasHeader = opts.header ?? detectHeader(records);
  const warnings: string[] = [];
  const skip = hasHeader ? 1 : 0;
  const body = hasHeader ? records.slice(1) : records;
  if (body.length === 0) throw new InputError('no data rows below the header', { file, line: lineOf(0) });

  // Expected width: the header's, unless the header is shorter than the rows (a partial header).
  const head = hasHeader ? records[0] : null;
  const width = head && head.length >= body[0].length ? head.length : body[0].length;
  for (let i = 0; i < body.length; i++) {
    if (body[i].length !== width) {
      const widthFrom = head && head.length === width ? 'as in the header' : `as on line ${lineOf(skip)}`;
      throw new InputError(`expected ${width} fields (${widthFrom}), got ${body[i].length}`, { file, line: lineOf(i + skip) });
    }
  }

  let names: string[];
  if (head) {
    // A partial header (fewer names than fields): put the names at the left or the right end,
    // whichever lands more of them on text columns (UCI's wdbc.data names its leading id and
    // diagnosis; letter.csv misses one name but ends with the letter); the rest become col_N.
    const offset = head.length < width ? partialHeaderOffset(head, body, width) : 0;
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
  names = uniqueNames(names, warnings);

  return {
    file,
    columns: names.map((name) => ({ name })),
    cells: body,
    where: (i) => ({ line: lineOf(i + skip) }),
    warnings,
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
  const delimiter = /\.tsv$/i.test(file) ? '\t' : ',';
  return inferDataset(parseCsv(text, file, { header: opts.header, delimiter }), opts, source);
}

function isNumberLike(s: string): boolean {
  return parseNumberText(s) !== undefined || isNonFiniteText(s);
}

/** The header heuristic documented on {@link parseCsv}. */
function detectHeader(records: string[][]): boolean {
  const first = records[0];
  if (first.some((c) => isNumberLike(c))) return false;
  if (first.every((c) => isMissingText(c))) return false;
  const rest = records.slice(1);
  if (rest.length === 0) return true;
  if (rest.every((r) => r.length !== first.length)) return true;
  const sample = rest.slice(0, 1000);
  for (let j = 0; j < first.length; j++) {
    let present = 0;
    let numeric = 0;
    for (const r of sample) {
      if (j >= r.length || isMissingText(r[j])) continue;
      present++;
      if (isNumberLike(r[j])) numeric++;
    }
    if (present > 0 && numeric >= 0.9 * present) return true;
  }
  // All text: a header's names do not occur again in their columns.
  for (let j = 0; j < first.length; j++) {
    for (const r of rest) if (r[j] === first[j]) return false;
  }
  return new Set(first).size === first.length;
}

/** 0 to align a short header with the first columns, `width - head.length` to align it with the last. */
function partialHeaderOffset(head: string[], rows: string[][], width: number): number {
  const sample = rows.slice(0, 1000);
  const text = Array.from({ length: width }, (_, j) => {
    let present = 0;
    let numeric = 0;
    for (const r of sample) {
      if (isMissingText(r[j])) continue;
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
