/**
 * What every command handler shares: the global flags, output to stdout or an atomic file, and a
 * progress bar on stderr.
 */
import { InputError } from '../util/errors.js';
import { writeFileAtomic } from '../util/io.js';
import { terminalProgress, type ProgressFn } from '../util/progress.js';
import { DEFAULT_SEED } from '../util/rng.js';

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

/** A note for the user on stderr (suppressed by `--quiet`). */
export function note(args: Pick<GlobalArgs, 'quiet'>, text: string): void {
  if (!args.quiet) process.stderr.write(text + '\n');
}

/** A warning on stderr (`warning: ...`), shown even with `--quiet`: something about the run that the user must know. */
export function warn(text: string): void {
  process.stderr.write(`warning: ${text}\n`);
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
