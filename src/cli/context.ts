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
import { writeFileAtomic } from '../util/io.js';
import { terminalProgress, type ProgressFn } from '../util/progress.js';
import { DEFAULT_SEED } from '../util/rng.js';

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

/** A note for the user on stderr (suppressed by `--quiet`). */
export function note(args: Pick<GlobalArgs, 'quiet' | 'io'>, text: string): void {
  if (!args.quiet) ioOf(args).stderr.write(text + '\n');
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
