/**
 * The flags of scale, shared by the commands that spread work: `--workers` (threads on this
 * machine), and for `explain` `--queue` (machines behind Redis) and `--rows-per-batch`.
 */
import type { TabularModel } from '../model/types.js';
import type { BatchRunner } from '../local/run.js';
import { InputError } from '../util/errors.js';
import { resolveWorkers } from '../scale/workers.js';
import { note, type GlobalArgs } from './context.js';

export const workersOption = {
  workers: { type: 'number', describe: 'Worker threads on this machine, this one handing out the work (default: the number of cores, one per 200 rows at least; 1: everything in this thread). The output is the same whatever the number' },
} as const;

export const queueOptions = {
  queue: { type: 'string', describe: 'Explain through a queue of `distill worker` machines: redis://[:password@]host[:port][/db]. The output is the same as a local run' },
  'queue-timeout': { type: 'number', describe: 'Seconds to wait for the queue\'s Redis to answer (default 10)' },
  'rows-per-batch': { type: 'number', describe: 'Rows per batch handed to a worker thread or queue worker (default: about 32 batches, 25 to 1000 rows each)' },
} as const;

export interface ScaleArgs {
  workers?: number;
  queue?: string;
  queueTimeout?: number;
  rowsPerBatch?: number;
}

/** `--queue-timeout` in milliseconds. */
export function queueTimeoutMs(argv: ScaleArgs): number {
  const s = argv.queueTimeout ?? 10;
  if (!(typeof s === 'number' && Number.isFinite(s) && s > 0 && s <= 3600)) throw new InputError(`expected seconds from 0 to 3600, got ${JSON.stringify(s)}`, { flag: '--queue-timeout' });
  return s * 1000;
}

/**
 * Checks the scale flags before any work: the worker count, the queue URL's form, the batch size.
 *
 * @throws InputError naming the flag.
 */
export async function checkScaleArgs(argv: ScaleArgs): Promise<{ workers: number }> {
  const workers = resolveWorkers(argv.workers);
  if (argv.rowsPerBatch !== undefined && !(Number.isInteger(argv.rowsPerBatch) && argv.rowsPerBatch >= 1 && argv.rowsPerBatch <= 1_000_000)) {
    throw new InputError(`expected an integer from 1 to 1000000, got ${JSON.stringify(argv.rowsPerBatch)}`, { flag: '--rows-per-batch' });
  }
  if (argv.queue !== undefined) {
    const { parseQueueUrl } = await import('../scale/queue/url.js');
    parseQueueUrl(String(argv.queue));
    queueTimeoutMs(argv);
  }
  return { workers };
}

/** Rows per worker thread below which a run without `--workers` stays in the command's thread. */
export const DEFAULT_MIN_ROWS_PER_THREAD = 200;

/** Where `explain`'s batches run: the queue, worker threads, or (undefined) this thread. */
export async function batchRunnerFromArgs(argv: ScaleArgs & GlobalArgs, model: TabularModel, workers: number): Promise<BatchRunner | undefined> {
  if (argv.queue !== undefined) {
    const [{ parseQueueUrl }, { queueRunner }] = await Promise.all([import('../scale/queue/url.js'), import('../scale/queue/coordinator.js')]);
    return queueRunner({ url: parseQueueUrl(String(argv.queue)), model, timeoutMs: queueTimeoutMs(argv), note: (t) => note(argv, t) });
  }
  const { threadRunner } = await import('../scale/explain.js');
  // Without --workers, small runs stay in this thread: a worker thread's start-up (a few tenths of
  // a second of CPU: its modules, its own model) outweighs what it saves below a few hundred rows.
  return threadRunner(model, workers, (t) => note(argv, t), { minRowsPerThread: argv.workers === undefined ? DEFAULT_MIN_ROWS_PER_THREAD : undefined });
}
