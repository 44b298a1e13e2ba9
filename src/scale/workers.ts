/**
 * How many worker threads a command uses: `--workers N` (default the number of cores; 1 runs
 * everything in the command's own thread).
 */
import { availableParallelism } from 'node:os';
import { InputError } from '../util/errors.js';

/** Most worker threads one command may start. */
export const MAX_WORKERS = 256;

/** The default number of worker threads: the cores this process may use. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The worker count a flag asks for (default {@link defaultWorkers}).
 *
 * @throws InputError naming `flag` unless the value is an integer from 1 to {@link MAX_WORKERS}.
 * @example
 * resolveWorkers(undefined); // 2 on a 2-core machine
 * resolveWorkers(0);         // throws "--workers: expected an integer from 1 to 256, got 0"
 */
export function resolveWorkers(value: unknown, flag = '--workers'): number {
  if (value === undefined) return defaultWorkers();
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_WORKERS) {
    throw new InputError(`expected an integer from 1 to ${MAX_WORKERS} (1: no worker threads), got ${JSON.stringify(value)}`, { flag });
  }
  return value;
}
