/**
 * What every command handler shares: the global flags, the streams of this run, output to stdout
 * or an atomic file, and a progress bar on stderr.
 *
 * A command module keeps this file, the flag specs (`data-options.ts`, `model-options.ts`) and
 * small pure helpers as its only static imports; the library code its handler runs (loaders,
 * tfjs, onnxruntime, vega, the extractors) is imported with `await import(...)` inside the
 * handler, so that `distill --help` or `distill datasets` never load the engines other commands
 * need.
 */
import { InputError } from '../util/errors.js';
import { openAtomicFile, writeFileAtomic } from '../util/io.js';
import { terminalProgress, type ProgressFn } from '../util/progress.js';
import { DEFAULT_SEED } from '../util/rng.js';
import { escapeControls } from '../util/text.js';

/** A stream a command writes to: `process.stdout`/`process.stderr`, or a buffer in tests. */
export interface OutputStream {
  write(text: string): unknown;
  /** A terminal (progress bars are drawn only on one). */
  isTTY?: boolean;
  /** Terminal width, for the help text. */
  columns?: number;
}

/** The streams of one CLI run (see `main`); the process's own when absent. */
export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read for the data path `-` (default `process.stdin`, touched only then). */
  stdin?: NodeJS.ReadableStream;
}

/** Flags every command accepts (declared once in `main.ts`), and the streams of the run. */
export interface GlobalArgs {
  seed: number;
  format?: string;
  out?: string;
  quiet: boolean;
  debug: boolean;
  backend?: string;
  /** Set by `main` for every run; handlers called directly fall back to the process's streams. */
  io?: CliIO;
}

export const globalOptions = {
  seed: { type: 'number', default: DEFAULT_SEED, describe: 'Seed for every random choice (recorded in outputs)' },
  format: { type: 'string', describe: 'Output format (per command: text, json, csv)' },
  out: { type: 'string', describe: 'Write the output to this file (atomically) instead of stdout' },
  quiet: { type: 'boolean', default: false, describe: 'No progress bars or notes on stderr' },
  debug: { type: 'boolean', default: false, describe: 'Print stack traces with errors' },
  backend: { type: 'string', describe: 'TF.js backend: tensorflow, wasm or cpu (default: the fastest that loads)' },
} as const;

/** The process's own streams. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr };
}

/** The streams of the run `args` belongs to. */
export function ioOf(args: Pick<GlobalArgs, 'io'>): CliIO {
  return args.io ?? processIO();
}

/**
 * Writes a command's main output: to `--out` atomically (a temporary file, then a rename), or to
 * stdout. Text gets a final newline.
 */
export async function emit(args: Pick<GlobalArgs, 'out' | 'io'>, text: string): Promise<void> {
  const body = text.endsWith('\n') ? text : text + '\n';
  if (args.out) await writeFileAtomic(args.out, body);
  else ioOf(args).stdout.write(body);
}

/** A command's main output written piece by piece (see {@link openOutput}). */
export interface Output {
  write(text: string): Promise<void>;
  /** Finishes the output: renames `--out` into place, or flushes stdout. */
  close(): Promise<void>;
  /** Gives up: removes the unfinished `--out` file (stdout keeps what was written). */
  abort(): Promise<void>;
}

/**
 * Opens a command's main output for writing row by row: to `--out` through a temporary file
 * renamed into place on `close()` (nothing half-written is ever seen at `--out`), or to stdout,
 * waiting whenever the pipe is full, so that memory stays bounded whatever the size.
 *
 * @example
 * const out = await openOutput(argv);
 * try { for (...) await out.write(line + '\n'); await out.close(); } catch (e) { await out.abort(); throw e; }
 */
export async function openOutput(args: Pick<GlobalArgs, 'out' | 'io'>): Promise<Output> {
  if (args.out) {
    const file = await openAtomicFile(args.out);
    return { write: (t) => file.write(t), close: () => file.commit(), abort: () => file.abort() };
  }
  const stdout = ioOf(args).stdout as OutputStream & { once?(event: 'drain', f: () => void): unknown };
  let pending: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!pending.length) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    if (stdout.write(text) === false && stdout.once) await new Promise<void>((resolve) => stdout.once!('drain', () => resolve()));
  };
  return {
    async write(text) {
      pending.push(text);
      size += text.length;
      if (size >= 1 << 16) await flush();
    },
    close: flush,
    async abort() {
      await flush();
    },
  };
}

/**
 * Opens a command's main output ({@link openOutput}), makes a writer on it, lets `fill` write
 * through the writer, ends the writer and closes the output; on any failure the output is aborted
 * (an unfinished `--out` file is removed) and the error rethrown.
 *
 * @example
 * await writeOutput(argv, (out) => decisionWriter(rs, 'csv', out), async (w) => { for (...) await w.write(decisions); });
 */
export async function writeOutput<W extends { end(): Promise<void> }>(args: Pick<GlobalArgs, 'out' | 'io'>, writer: (out: Output) => W, fill: (w: W) => Promise<void>): Promise<void> {
  const out = await openOutput(args);
  try {
    const w = writer(out);
    await fill(w);
    await w.end();
    await out.close();
  } catch (e) {
    await out.abort();
    throw e;
  }
}

/**
 * Writes a JSON array one element at a time, laid out exactly as `JSON.stringify(array, null, 2)`
 * followed by a newline, so that a streamed output equals the one built in memory.
 *
 * @example
 * const json = jsonArrayWriter(out);
 * for (const r of records) await json.item(r);
 * await json.end();
 */
export function jsonArrayWriter(out: Pick<Output, 'write'>): { item(value: unknown): Promise<void>; end(): Promise<void> } {
  let n = 0;
  return {
    async item(value) {
      const body = JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
      await out.write((n++ === 0 ? '[\n  ' : ',\n  ') + body);
    },
    async end() {
      await out.write(n === 0 ? '[]\n' : '\n]\n');
    },
  };
}

/**
 * A note for the user on stderr (suppressed by `--quiet`). Notes quote names from files, so
 * control characters in them are shown escaped (`\x1b`).
 */
export function note(args: Pick<GlobalArgs, 'quiet' | 'io'>, text: string): void {
  if (!args.quiet) ioOf(args).stderr.write(escapeControls(text, { keepLines: true }) + '\n');
}

/** A warning on stderr (`warning: ...`), shown even with `--quiet`: something about the run that the user must know. */
export function warn(args: Pick<GlobalArgs, 'io'>, text: string): void {
  ioOf(args).stderr.write(`warning: ${text}\n`);
}

/** A progress callback for long work: a bar on stderr when it is a terminal. Call `.stop()` at the end. */
export function progress(args: Pick<GlobalArgs, 'quiet' | 'io'>): ProgressFn & { stop(): void } {
  return terminalProgress(args.quiet, ioOf(args).stderr as NodeJS.WriteStream);
}

/**
 * Thrown by a handler that has already printed what went wrong and only needs `main` to exit with
 * `code` (e.g. `distill rules validate` listing every problem, exit 2).
 */
export class CommandExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CommandExit';
  }
}

/**
 * The `--format` a command was given, checked against the formats it writes; the first is the
 * default.
 *
 * @throws InputError naming `--format` for any other value.
 * @example
 * const format = chooseFormat(argv.format, ['text', 'json']); // 'text' when --format is absent
 */
export function chooseFormat<F extends string>(given: string | undefined, allowed: readonly [F, ...F[]]): F {
  if (given === undefined) return allowed[0];
  if ((allowed as readonly string[]).includes(given)) return given as F;
  throw new InputError(`expected ${allowed.join(' or ')}, got "${given}"`, { flag: '--format' });
}
