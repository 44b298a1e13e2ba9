/**
 * Progress reporting for long work (training, sampling, extraction, batch explanations).
 *
 * Library functions take an optional {@link ProgressFn}; the CLI passes one that draws a bar with
 * rate and ETA on stderr (cli-progress) when stderr is a terminal and `--quiet` is off, a line
 * every 30 s of long work when stderr is a log or a pipe, and nothing with `--quiet`, so progress
 * never mixes with output on stdout.
 */
import { createRequire } from 'node:module';
import type cliProgressTypes from 'cli-progress';

type CliProgress = typeof cliProgressTypes;
let cliProgressModule: CliProgress | null = null;

/** cli-progress, loaded on the first bar drawn (it costs start-up time to every command otherwise). */
function cliProgress(): CliProgress {
  cliProgressModule ??= createRequire(import.meta.url)('cli-progress') as CliProgress;
  return cliProgressModule;
}

/** Called as work advances: `done` of `total` units of `label`. */
export type ProgressFn = (done: number, total: number, label?: string) => void;

/** A progress callback that does nothing. */
export const noProgress: ProgressFn = () => {};

/** Seconds between progress lines when stderr is not a terminal (a log, a pipe). */
export const PROGRESS_LINE_SECONDS = 30;

/**
 * A progress callback writing one line (`deepred layer 1: 12/40, 31 s`) to `stream` when
 * `everySeconds` have passed since the start or the last line: long work shows it is alive in a
 * log, short work prints nothing. `now` (milliseconds) is the clock.
 *
 * @example
 * const p = lineProgress(process.stderr); p(3, 10, 'cart'); // prints only after 30 s
 */
export function lineProgress(stream: NodeJS.WritableStream, everySeconds = PROGRESS_LINE_SECONDS, now: () => number = Date.now): ProgressFn & { stop(): void } {
  const start = now();
  let last = start;
  const fn: ProgressFn = (done, total, label = 'working') => {
    const t = now();
    if (t - last < everySeconds * 1000) return;
    last = t;
    stream.write(`${label}: ${done}/${total}, ${Math.round((t - start) / 1000)} s\n`);
  };
  return Object.assign(fn, { stop() {} });
}

/**
 * A progress callback drawing a bar on stderr when it is a terminal, or writing a line every
 * {@link PROGRESS_LINE_SECONDS} seconds of long work when it is not (nothing when `quiet`).
 * Call `stop()` when the work is done.
 */
export function terminalProgress(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressFn & { stop(): void } {
  if (quiet) return Object.assign(noProgress.bind(null), { stop() {} });
  if (!stream.isTTY) return lineProgress(stream);
  let bar: cliProgressTypes.SingleBar | null = null;
  let current = '';
  const fn = (done: number, total: number, label = 'working') => {
    if (!bar || label !== current) {
      bar?.stop();
      current = label;
      const { SingleBar, Presets } = cliProgress();
      bar = new SingleBar(
        {
          stream,
          format: `${label.padEnd(12)} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
        },
        Presets.shades_classic,
      );
      bar.start(total, 0, { rate: '0' });
      (bar as unknown as { startTime: number }).startTime = Date.now();
    }
    const elapsed = Math.max(1e-3, (Date.now() - (bar as unknown as { startTime: number }).startTime) / 1000);
    bar.setTotal(total);
    bar.update(done, { rate: (done / elapsed).toFixed(0) });
  };
  return Object.assign(fn, {
    stop() {
      bar?.stop();
      bar = null;
    },
  });
}
