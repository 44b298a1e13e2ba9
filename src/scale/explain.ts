/**
 * Explanation runs over worker threads: a {@link BatchRunner} that sends the batches of a run to
 * a {@link WorkerPool}, each thread explaining with the same {@link explainBatch} as a run in one
 * thread. The batches are cut the same way whatever the number of threads, and come back in order.
 */
import { explainHere, type BatchResult, type BatchRunner, type ExplainJob, type RowBatch } from '../local/run.js';
import type { TabularModel } from '../model/types.js';
import { noThreadsReason, poolOf, shareWork, threadsText, WorkerPool } from './pool.js';

/**
 * A runner explaining batches in `workers` worker threads (at most one per batch), this thread
 * handing them out and gathering the results, or undefined when the run must stay in this thread:
 * one worker, or a model that cannot be loaded in a thread (then `note` says why).
 *
 * This thread explains nothing itself once threads are used: when it did, its heap (V8's default
 * young generation) went through a full collection every few tenths of a second, marked on the
 * cores the explaining threads need (why, and the figures: `WORKER_YOUNG_GENERATION_MB` in
 * ./pool.ts, and docs/scale.md).
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
    async run(job, batches, done, shared) {
      const problem = unclonable(job);
      if (problem) {
        note?.(`${problem}, which cannot be sent to a worker thread: running in this thread`);
        return explainHere(model, job, batches, done, shared);
      }
      // A thread costs a few tenths of a second of start-up (its own model and engine): with fewer
      // rows than minRowsPerThread per thread (the default worker count's threshold) the run stays here.
      const rows = batches.reduce((n, b) => n + b.rows.length, 0);
      const threads = Math.min(workers, batches.length, opts.minRowsPerThread ? Math.floor(rows / opts.minRowsPerThread) : Infinity);
      if (threads < 2) return explainHere(model, job, batches, done, shared);
      note?.(`explaining ${batches.length} batches of up to ${batches[0].rows.length} rows in ${threadsText(threads)}`);
      // A model given threads (withWorkers) keeps them for the next run; else they are this run's.
      const kept = poolOf(model);
      const pool = kept && kept.size >= threads ? kept : new WorkerPool(threads, { model: model.origin }, { tasksPerThread: 2 });
      try {
        return await explainInPool(job, batches, done, pool, threads);
      } finally {
        if (pool !== kept) await pool.close();
      }
    },
  };
}

/**
 * Explains `batches` in `threads` of `pool`'s threads ({@link shareWork}). The batches are cut
 * into pieces first ({@link cutPieces}), so that the threads finish together (a thread left alone
 * with the last large batch would keep the others idle); each batch's pieces are put together
 * again, in order. Every row is explained on its own, so the pieces change nothing in the file.
 * The pool is left running (its owner closes it).
 */
async function explainInPool(job: ExplainJob, batches: RowBatch[], done: (rows: number) => void, pool: WorkerPool, threads: number): Promise<BatchResult[]> {
  const id = `run-${++runs}`;
  const pieces = cutPieces(batches, threads);
  // The job goes with the first two tasks per thread (a thread holds two); later tasks name it.
  let sent = 0;
  const parts = await shareWork(pieces.length, pool, (i) => pool.explain(id, job, pieces[i].piece, sent++ < 2 * threads), {
    done: (i) => done(pieces[i].piece.rows.length),
    threads,
  });
  return batches.map((_, k) => joinResults(parts.filter((_, i) => pieces[i].batch === k)));
}

/** Runs explained in threads so far: each run's job id in the threads. */
let runs = 0;

/**
 * The pieces `batches` are explained in, in order, each within one batch: each piece half the rows
 * still to cut per thread (at most what is left of its batch), so that the first pieces are large
 * and the last ones small (down to a 32nd of the rows per thread, at least 1 row). The threads,
 * each taking the next piece when free, then finish close together: a thread done early waits for
 * a short piece at most (guided self-scheduling).
 *
 * @example
 * cutPieces([{ index: 0, rows, rowIds }], 2).map((p) => p.piece.rows.length); // 100 rows: [25, 19, 14, 11, 8, ..., 2]
 */
export function cutPieces(batches: readonly RowBatch[], threads: number): { batch: number; piece: RowBatch }[] {
  let remaining = batches.reduce((n, b) => n + b.rows.length, 0);
  const least = Math.max(1, Math.ceil(remaining / (32 * threads)));
  const pieces: { batch: number; piece: RowBatch }[] = [];
  batches.forEach((b, k) => {
    if (!b.rows.length) pieces.push({ batch: k, piece: b });
    for (let i = 0; i < b.rows.length; ) {
      const size = Math.min(b.rows.length - i, Math.max(least, Math.ceil(remaining / (2 * threads))));
      pieces.push({ batch: k, piece: { index: b.index, rows: b.rows.slice(i, i + size), rowIds: b.rowIds.slice(i, i + size) } });
      i += size;
      remaining -= size;
    }
  });
  return pieces;
}

/** One batch's result from its pieces' results, in order: explanations joined, samples and time summed. */
function joinResults(parts: BatchResult[]): BatchResult {
  if (parts.length === 1) return parts[0];
  return {
    methods: parts[0].methods.map((m, j) => ({
      explanations: parts.flatMap((p) => p.methods[j].explanations),
      options: m.options,
      samples: parts.reduce((n, p) => n + p.methods[j].samples, 0),
      millis: parts.reduce((n, p) => n + p.methods[j].millis, 0),
    })),
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
