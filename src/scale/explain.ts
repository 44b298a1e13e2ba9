/**
 * Explanation runs over worker threads: a {@link BatchRunner} that sends the batches of a run to
 * a {@link WorkerPool}, each thread explaining with the same {@link explainBatch} as a run in one
 * thread. The batches are cut the same way whatever the number of threads, and come back in order.
 */
import { explainHere, type BatchResult, type BatchRunner, type ExplainJob } from '../local/run.js';
import type { TabularModel } from '../model/types.js';
import { noThreadsReason, settleAll, WorkerPool } from './pool.js';

/**
 * A runner explaining batches in `workers` threads (at most one per batch), or undefined when the
 * run must stay in this thread: one worker, or a model that cannot be loaded in a thread (then
 * `note` says why).
 *
 * @param opts.minRowsPerThread start a thread only per this many rows (default: any number).
 * @example
 * const runner = threadRunner(model, 4, (text) => console.error(text));
 * const file = await explainRows('lime', { model, data, rows, rowIds, runner }, { samples: 1000 });
 */
export function threadRunner(model: TabularModel, workers: number, note?: (text: string) => void, opts: { minRowsPerThread?: number } = {}): BatchRunner | undefined {
  if (workers <= 1) return undefined;
  const reason = noThreadsReason(model);
  if (reason) {
    note?.(reason);
    return undefined;
  }
  return {
    async run(job, batches, done) {
      const problem = unclonable(job);
      if (problem) {
        note?.(`${problem}, which cannot be sent to a worker thread: running in this thread`);
        return explainHere(model, job, batches, done);
      }
      // A thread costs about a second of start-up (its own model and engine): with fewer rows than
      // minRowsPerThread per thread (the default worker count's threshold) the run stays here.
      const rows = batches.reduce((n, b) => n + b.rows.length, 0);
      const threads = Math.min(workers, batches.length, opts.minRowsPerThread ? Math.floor(rows / opts.minRowsPerThread) : Infinity);
      if (threads < 2) return explainHere(model, job, batches, done);
      note?.(`explaining ${batches.length} batches of up to ${batches[0].rows.length} rows in ${threads} worker threads`);
      const pool = new WorkerPool(threads, { model: model.origin, explain: job });
      try {
        return await settleAll(
          batches.map(async (b) => {
            const r = await pool.run<BatchResult>({ kind: 'explain', batch: b });
            done(b.rows.length);
            return r;
          }),
        );
      } finally {
        await pool.close();
      }
    },
  };
}

/** What in a job's options cannot cross to a thread (a function, such as a custom LIME kernel), if anything. */
function unclonable(job: ExplainJob): string | undefined {
  for (const [method, opts] of Object.entries(job.options)) {
    for (const [key, v] of Object.entries(opts)) {
      try {
        structuredClone(v);
      } catch {
        return `the ${method} option ${key} is ${typeof v === 'function' ? 'a function' : 'not plain data'}`;
      }
    }
  }
  return undefined;
}
