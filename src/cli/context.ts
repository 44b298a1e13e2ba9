/**
 * What every command handler shares: the global flags, output to stdout or an atomic file, and a
 * progress bar on stderr.
 */
import { InputError } from '../util/errors.js';
import { openAtomicFile, writeFileAtomic } from '../util/io.js';
import { terminalProgress, type ProgressFn } from '../util/progress.js';
import { DEFAULT_SEED } from '../util/rng.js';
import { escapeControls } from '../util/text.js';

/** Flags every command accepts (declared once in `main.ts`). */
export interface GlobalArgs {
  seed: number;
  format?: string;
  out?: string;
  quiet: boolean;
  debug: boolean;
  backend?: string;
}

export const globalOptions = {
  seed: { type: 'number', default: DEFAULT_SEED, describe: 'Seed for every random choice (recorded in outputs)' },
  format: { type: 'string', describe: 'Output format (per command: text, json, csv)' },
  out: { type: 'string', describe: 'Write the output to this file (atomically) instead of stdout' },
  quiet: { type: 'boolean', default: false, describe: 'No progress bars or notes on stderr' },
  debug: { type: 'boolean', default: false, describe: 'Print stack traces with errors' },
  backend: { type: 'string', describe: 'TF.js backend: tensorflow, wasm or cpu (default: the fastest that loads)' },
} as const;

/**
 * Writes a command's main output: to `--out` atomically (a temporary file, then a rename), or to
 * stdout. Text gets a final newline.
 */
export async function emit(args: Pick<GlobalArgs, 'out'>, text: string): Promise<void> {
  const body = text.endsWith('\n') ? text : text + '\n';
  if (args.out) await writeFileAtomic(args.out, body);
  else process.stdout.write(body);
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
export async function openOutput(args: Pick<GlobalArgs, 'out'>): Promise<Output> {
  if (args.out) {
    const file = await openAtomicFile(args.out);
    return { write: (t) => file.write(t), close: () => file.commit(), abort: () => file.abort() };
  }
  let pending: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!pending.length) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    if (process.stdout.write(text) === false) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
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
export function note(args: Pick<GlobalArgs, 'quiet'>, text: string): void {
  if (!args.quiet) process.stderr.write(escapeControls(text, { keepLines: true }) + '\n');
}

/** A progress callback for long work: a bar on stderr when it is a terminal. Call `.stop()` at the end. */
export function progress(args: Pick<GlobalArgs, 'quiet'>): ProgressFn & { stop(): void } {
  return terminalProgress(args.quiet);
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
