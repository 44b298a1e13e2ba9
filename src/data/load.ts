/**
 * The one entry point for data: a path (CSV, ARFF or JSON, told apart by content and extension) or
 * a built-in dataset (`builtin:NAME[?...]`). {@link scanDataset} types a file without holding its
 * rows (a CSV file is streamed past); {@link loadDataset} also reads the rows into memory.
 */
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { InputError, type ErrorLocation } from '../util/errors.js';
import { formatBytes, openRegularFile, readTextFileWithin } from '../util/io.js';
import type { Dataset, Feature, Row } from './types.js';
import { emptyTable, setRow, tableDataset } from './table.js';
import { STDIN_NAME, STDIN_SPEC, type LoadOptions } from './options.js';
import { isBuiltinSpec, loadBuiltinTable } from './builtins.js';
import { parseArff } from './arff.js';
import { csvDelimiter, csvFileInput, csvFileTable, csvRowsBySchema, onceError, parseCsv, type CsvInput } from './csv.js';
import { parseJsonTable } from './json.js';
import {
  collectTexts,
  datasetOf,
  locateError,
  NeedTexts,
  planDataset,
  TableScanner,
  typeRecord,
  type Cell,
  type DatasetPlan,
  type RawTable,
  type TableScan,
} from './infer.js';

export type DataFormat = 'csv' | 'arff' | 'json';

/**
 * Largest ARFF or JSON data file: these are parsed whole, as text in memory (a JavaScript string
 * holds at most about 512 MiB). CSV files have no limit: they are streamed.
 */
export const MAX_WHOLE_DATA_BYTES = 512 * 2 ** 20;

/**
 * CSV files up to this size are parsed in memory in one pass (about 12 bytes of memory per byte
 * of file, briefly); larger ones are streamed through csv-parse in bounded memory: twice (a scan,
 * then the rows) by {@link scanDataset}, once by {@link streamDataset}. `LoadOptions.inMemoryBytes`
 * changes it.
 */
export const DEFAULT_IN_MEMORY_BYTES = 8 * 2 ** 20;

/** Bytes read from the start of a file to tell its format. */
const SNIFF_BYTES = 256 * 1024;

/**
 * Tells the format of a data file from its content first, then its extension: ARFF when the first
 * line that is neither blank nor a `%` comment starts with `@relation`, `@attribute` or `@data`
 * (so the MONK files `.train`/`.test` are ARFF); JSON when the text starts with `[` or the
 * extension is `.json`; CSV otherwise. `text` may be the start of the file only.
 *
 * @example
 * sniffFormat('% comment\n@RELATION x\n', 'monks-1.train'); // 'arff'
 */
export function sniffFormat(text: string, file: string): DataFormat {
  const ext = extname(file).toLowerCase();
  const t = text.replace(/^\uFEFF/, '');
  for (const line of t.split(/\r\n|\r|\n/, 200)) {
    const s = line.trim();
    if (s === '' || s.startsWith('%')) continue;
    if (/^@(relation|attribute|data)\b/i.test(s)) return 'arff';
    break;
  }
  if (ext === '.arff') return 'arff';
  if (ext === '.json' || t.trimStart().startsWith('[')) return 'json';
  return 'csv';
}

/** A batch of typed rows, `start` being the index of its first row in the data. */
export interface RowBatch {
  start: number;
  rows: Row[];
  /** Target values aligned with `rows`, when the plan has a target. */
  target?: (string | number | null)[];
}

/**
 * A dataset typed but not held: its plan (schema, per-column summaries, row count, warnings) and
 * its rows on demand, read again from the file each time for CSV (bounded memory for any size).
 */
export interface DatasetScan {
  /** The path or `builtin:NAME`. */
  source: string;
  plan: DatasetPlan;
  /** Typed rows in batches of about `size` (default 8192), from the start. */
  batches(size?: number): AsyncGenerator<RowBatch>;
  /** The same table planned under other load options (a different target, say), without scanning it again. */
  replan(opts: LoadOptions): Promise<DatasetScan>;
}

/** A table that can be scanned and whose records can be read again: a CSV file, or a table in memory. */
interface TableSource {
  file: string;
  scan(): Promise<TableScan>;
  records(size: number): AsyncGenerator<{ cells: Cell[][]; start: number }>;
  where(k: number): ErrorLocation | Promise<ErrorLocation>;
}

function memorySource(table: RawTable): TableSource {
  return {
    file: table.file,
    where: (k) => table.where(k),
    async scan() {
      const scanner = new TableScanner(table.file, table.columns);
      table.cells.forEach((r, i) => scanner.add(r, i));
      return scanner.result({ warnings: table.warnings, defaultTarget: table.defaultTarget });
    },
    async *records(size) {
      for (let i = 0; i < table.cells.length; i += size) yield { cells: table.cells.slice(i, i + size), start: i };
    },
  };
}

/** Reads the start of a regular file and its size (special files are refused before reading). */
async function fileHead(path: string): Promise<{ head: string; size: number }> {
  const { handle, size } = await openRegularFile(path, 'a data file');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    return { head: buf.subarray(0, bytesRead).toString('utf8'), size };
  } finally {
    await handle.close();
  }
}

/** A data source opened: a CSV to stream, or a table in memory. */
type Opened = { csv: CsvInput } | { table: TableSource };

/**
 * Standard input opened, per stream: it can be read only once, so a second look (a command that
 * first tries one pass, then a scan) gets the same opening, and a CSV stream refuses a second pass.
 */
const stdinOpened = new WeakMap<object, Promise<Opened>>();

/** A table parsed whole from text (CSV, ARFF, JSON). */
function textSource(text: string, format: DataFormat, file: string, opts: LoadOptions): TableSource {
  if (format === 'csv') return memorySource(parseCsv(text, file, { header: opts.header, delimiter: csvDelimiter(file) }));
  return memorySource(format === 'arff' ? parseArff(text, file) : parseJsonTable(text, file));
}

const formatName = (f: DataFormat) => (f === 'csv' ? 'CSV' : f === 'arff' ? 'ARFF' : 'JSON');

/**
 * Standard input: its start tells the format; CSV is streamed (read once), ARFF and JSON are
 * read whole within {@link MAX_WHOLE_DATA_BYTES}.
 */
async function openStdin(stream: Readable, opts: LoadOptions): Promise<Opened> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  const pull = async (): Promise<boolean> => {
    const r = await it.next();
    if (r.done) return !(ended = true);
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    chunks.push(b);
    size += b.length;
    return true;
  };
  while (size < SNIFF_BYTES && (await pull()));
  const format = sniffFormat(Buffer.concat(chunks).toString('utf8'), STDIN_NAME);
  if (format !== 'csv') {
    while (!ended && size <= MAX_WHOLE_DATA_BYTES) await pull();
    if (size > MAX_WHOLE_DATA_BYTES) {
      throw new InputError(`over the ${formatBytes(MAX_WHOLE_DATA_BYTES)} limit for ${formatName(format)} data read whole (CSV is streamed instead)`, { file: STDIN_NAME });
    }
    return { table: textSource(Buffer.concat(chunks).toString('utf8'), format, STDIN_NAME, opts) };
  }
  let opened = false;
  const input: CsvInput = {
    file: STDIN_NAME,
    delimiter: ',',
    once: true,
    async open() {
      if (opened) throw onceError(input);
      opened = true;
      const head = chunks.splice(0);
      return Readable.from(
        (async function* () {
          yield* head;
          if (ended) return;
          for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
        })(),
        { objectMode: false },
      );
    },
  };
  return { csv: input };
}

/** Opens a path, `-` (standard input) or builtin spec. */
async function openData(spec: string, opts: LoadOptions): Promise<Opened> {
  if (isBuiltinSpec(spec)) return { table: memorySource(await loadBuiltinTable(spec)) };
  if (spec === STDIN_SPEC) {
    const stream = opts.stdin ?? process.stdin;
    let opened = stdinOpened.get(stream);
    if (!opened) stdinOpened.set(stream, (opened = openStdin(stream, opts)));
    return opened;
  }
  const { head, size } = await fileHead(spec);
  const format = sniffFormat(head, spec);
  const inMemory = opts.inMemoryBytes ?? DEFAULT_IN_MEMORY_BYTES;
  if (format === 'csv' && size > inMemory) return { csv: csvFileInput(spec) };
  const text = await readTextFileWithin(spec, { maxBytes: MAX_WHOLE_DATA_BYTES, what: `${formatName(format)} data files read whole (CSV files over ${formatBytes(inMemory)} are streamed instead)` });
  return { table: textSource(text, format, spec, opts) };
}

/** The table behind a path, `-` or builtin spec. */
async function sourceOf(spec: string, opts: LoadOptions): Promise<TableSource> {
  const opened = await openData(spec, opts);
  return 'csv' in opened ? csvFileTable(opened.csv, { header: opts.header }) : opened.table;
}

/** The name a spec is shown by: `<stdin>` for `-`. */
const sourceName = (spec: string) => (spec === STDIN_SPEC ? STDIN_NAME : spec);

async function planOf(src: TableSource, scan: TableScan, opts: LoadOptions, source: string): Promise<DatasetPlan> {
  for (let attempt = 0; ; attempt++) {
    try {
      return planDataset(scan, opts, source);
    } catch (e) {
      if (e instanceof NeedTexts && attempt === 0) {
        // Categorical columns with more distinct numbers than a scan keeps: collect their texts.
        const add = collectTexts(scan, e.columns);
        for await (const b of src.records(8192)) for (const c of b.cells) add(c);
        continue;
      }
      throw await locateError(e, src.file, (k) => src.where(k));
    }
  }
}

function scanOf(src: TableSource, scan: TableScan, plan: DatasetPlan, source: string): DatasetScan {
  return {
    source,
    plan,
    async *batches(size = 8192) {
      let n = 0;
      for await (const b of src.records(size)) {
        const rows: Row[] = new Array(b.cells.length);
        const target: (string | number | null)[] | undefined = plan.targetCol >= 0 ? new Array(b.cells.length) : undefined;
        try {
          for (let i = 0; i < b.cells.length; i++) {
            const t = typeRecord(plan, b.cells[i], b.start + i);
            rows[i] = t.row;
            if (target) target[i] = t.target ?? null;
          }
        } catch (e) {
          throw await locateError(e, src.file, (k) => src.where(k));
        }
        yield target ? { start: n, rows, target } : { start: n, rows };
        n += rows.length;
      }
      if (n !== plan.rows) throw new InputError(`the file changed while it was read (${plan.rows} rows, then ${n})`, { file: src.file });
    },
    async replan(opts) {
      return scanOf(src, scan, await planOf(src, scan, opts, source), source);
    },
  };
}

/**
 * Types a dataset without holding its rows: one pass over the file (CSV files larger than
 * {@link DEFAULT_IN_MEMORY_BYTES} are streamed through csv-parse in batches; smaller ones, and ARFF
 * and JSON files up to {@link MAX_WHOLE_DATA_BYTES}, are parsed whole), giving the schema,
 * per-column summaries and the row count; `batches()` then reads the typed rows as often as needed
 * (a streamed file is read again each time). The same rules as {@link loadDataset}, and the same
 * errors.
 *
 * @throws InputError as {@link loadDataset}; a named pipe, device or folder given as the data
 *   is refused before anything is read.
 * @example
 * const scan = await scanDataset('big.csv', { noTarget: true });
 * for await (const { rows } of scan.batches()) process(rows);
 */
export async function scanDataset(spec: string, opts: LoadOptions = {}): Promise<DatasetScan> {
  const src = await sourceOf(spec, opts);
  const scan = await src.scan();
  const source = sourceName(spec);
  return scanOf(src, scan, await planOf(src, scan, opts, source), source);
}

/**
 * Loads a dataset: a file path (CSV with or without header, ARFF, or a JSON array of objects; see
 * {@link sniffFormat}) or `builtin:NAME[?n=..&seed=..&noise=..]` (see `listBuiltins`).
 *
 * Column types are inferred (see `inferDataset`) and can be overridden with `opts`. Things the
 * loader repaired are listed in `Dataset.warnings`. A CSV file larger than
 * {@link DEFAULT_IN_MEMORY_BYTES} is read twice through csv-parse's stream API (a scan that types
 * every column, then the rows), so memory holds the typed rows only, never the text or its fields.
 *
 * @param spec path or `builtin:NAME`.
 * @param opts target (by name or index), unlabelled data, forced categorical and ignored columns,
 *   CSV header on/off.
 * @throws InputError for a missing file, a special file (a named pipe, a device, a folder), an
 *   empty or malformed file, a bad value (naming file, line and column) or an option naming an
 *   unknown column (a `DataOptionError`, listing the columns).
 * @example
 * const iris = await loadDataset('builtin:iris');
 * const adult = await loadDataset('../shared/datasets/adult.csv', { categorical: ['col_4'] });
 */
export async function loadDataset(spec: string, opts: LoadOptions = {}): Promise<Dataset> {
  const scan = await scanDataset(spec, opts);
  if (opts.columns) return loadColumns(scan);
  const rows: Row[] = [];
  const target: (string | number | null)[] = [];
  for await (const b of scan.batches()) {
    for (const r of b.rows) rows.push(r);
    if (b.target) for (const t of b.target) target.push(t);
  }
  return datasetOf(scan.plan, rows, scan.plan.targetCol >= 0 ? target : undefined);
}

/** The scanned rows written straight into columns (each batch's row arrays die young). */
async function loadColumns(scan: DatasetScan): Promise<Dataset> {
  const { plan } = scan;
  const table = emptyTable(plan.schema.features, plan.rows);
  const t = plan.schema.target;
  const classIndex = t?.kind === 'class' ? new Map(t.classes.map((c, k) => [c, k])) : null;
  const targetColumn = plan.targetCol >= 0 && t ? (classIndex ? new Int32Array(plan.rows).fill(-1) : new Float64Array(plan.rows).fill(NaN)) : undefined;
  for await (const b of scan.batches()) {
    for (let i = 0; i < b.rows.length; i++) setRow(table, b.start + i, b.rows[i]);
    if (targetColumn && b.target) {
      b.target.forEach((v, i) => {
        if (v !== null) targetColumn[b.start + i] = classIndex ? (classIndex.get(String(v)) ?? -1) : Number(v);
      });
    }
  }
  return tableDataset(plan.source, plan.schema, table, plan.missing, targetColumn, plan.warnings);
}

/** Rows of a data source typed by a known schema as they are read (see {@link streamDataset}). */
export interface DataStream {
  /** The path, or `<stdin>`. */
  source: string;
  /** The typed rows (the features in the order asked for) in batches of about `size`; one pass. */
  batches(size: number): AsyncGenerator<{ start: number; rows: Row[] }>;
  /** Rows read so far (all of them once `batches` has ended). */
  readonly rows: number;
}

/**
 * Rows typed by a schema known beforehand (a rule set's or a model encoder's features), read in
 * one pass without a scan (see `csvRowsBySchema` for how columns are found and typed): for a CSV
 * file larger than {@link DEFAULT_IN_MEMORY_BYTES} and CSV on standard input (`-`), which is read
 * once. Returns null for anything else (a smaller file, ARFF, JSON, a builtin): read those with
 * {@link scanDataset}, which types them by their content. Errors surface at the row where they are
 * found, after the rows before it were yielded.
 *
 * @param needer who needs the columns, for messages (`the model`, `the rules`).
 * @example
 * const stream = await streamDataset('big.csv', rs.schema.features, {}, 'the rules');
 * if (stream) for await (const b of stream.batches(1024)) write(applyRuleSet(rs, b.rows));
 */
export async function streamDataset(spec: string, features: readonly Feature[], opts: LoadOptions, needer: string): Promise<DataStream | null> {
  const opened = await openData(spec, opts);
  if (!('csv' in opened)) return null;
  let count = 0;
  return {
    source: sourceName(spec),
    get rows() {
      return count;
    },
    async *batches(size) {
      for await (const b of csvRowsBySchema(opened.csv, features, size, needer)) {
        count += b.rows.length;
        yield b;
      }
    },
  };
}
