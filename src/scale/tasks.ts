/**
 * The work a worker thread does, as plain data in and out: explain a batch of rows, label rows
 * with the model, compute a range of bootstrap replicates. The same functions run the batches in
 * worker threads, on queue workers and in the command's own thread, which is what keeps the
 * results identical wherever they ran.
 *
 * A new kind of parallel work (e.g. permutation importance) is one more case in {@link WorkerTask}
 * and {@link runTask}.
 */
import type { Row } from '../data/types.js';
import { bootstrapReplicates, type BootstrapStatistic } from '../metrics/bootstrap.js';
import type { ModelOrigin, TabularModel } from '../model/types.js';
import type { ExplainJob, RowBatch, SharedContext } from '../local/run.js';
import { isInputError, type ErrorLocation } from '../util/errors.js';
import { InputError } from '../util/errors.js';

/** What every task of one pool shares, sent once to each worker thread (its `workerData`). */
export interface WorkerInputs {
  /** How the worker loads the model (once, on its first task that needs it). */
  model?: ModelOrigin;
  /** The bootstrap whose replicates the pool computes. */
  bootstrap?: { n: number; stats: BootstrapStatistic[]; seed: number };
}

/**
 * An explanation job as a task names it: its id, and the job itself when the thread may not have
 * it yet. A thread keeps the last {@link KEPT_JOBS} jobs it was sent (with their shared context),
 * so that a pool outlives a run: the next run's batches, on the same model, reach threads already
 * started and warm.
 */
export interface JobRef {
  id: string;
  job?: ExplainJob;
}

/** Jobs a thread keeps at once (a run in progress and the one before it). */
export const KEPT_JOBS = 2;

/** One task for a worker thread. */
export type WorkerTask =
  | { kind: 'explain'; job: JobRef; batch: RowBatch }
  | { kind: 'label'; rows: Row[] }
  | { kind: 'predict'; rows: Row[] }
  | { kind: 'bootstrap'; from: number; to: number };

/** A task's answer across the thread boundary: its value, or the error as data (so an InputError stays one). */
export type TaskReply<T = unknown> =
  | { ok: T }
  | { error: { message: string; detail?: string; location?: ErrorLocation; input: boolean } }
  /** The task named a job by id alone, and the thread does not have it: send the task again with the job. */
  | { needsJob: true };

/** A worker's state: its inputs, and what it loaded from them (the model, the job's shared context). */
export interface TaskState {
  inputs: WorkerInputs;
  model?: Promise<TabularModel>;
  /** The jobs sent so far (the last {@link KEPT_JOBS}), each with its shared context, by id. */
  jobs?: Map<string, { job: ExplainJob; shared: SharedContext }>;
  /** Loads the model of `inputs.model` (default: `reloadModel`, imported on first use). */
  load?: (origin: ModelOrigin) => Promise<TabularModel>;
}

async function modelOf(state: TaskState): Promise<TabularModel> {
  if (!state.inputs.model) throw new Error('this pool was started without a model');
  if (!state.model) {
    const origin = state.inputs.model;
    // One onnxruntime thread per worker thread: the pool is the parallelism.
    state.model = state.load ? state.load(origin) : import('../model/loadModel.js').then((m) => m.reloadModel(origin, origin.spec, 1));
  }
  return state.model;
}

/**
 * Runs one task against a worker's state.
 *
 * @example
 * const state = { inputs: { model: origin } };
 * const part = await runTask(state, { kind: 'explain', job: { id: 'run-1', job }, batch });
 */
export async function runTask(state: TaskState, task: WorkerTask): Promise<unknown> {
  switch (task.kind) {
    case 'explain': {
      // Imported here: a thread that only resamples or labels never loads the explainers.
      const { explainBatch, prepareShared } = await import('../local/run.js');
      const model = await modelOf(state);
      const jobs = (state.jobs ??= new Map());
      let entry = jobs.get(task.job.id);
      if (!entry) {
        const job = task.job.job;
        if (!job) throw new Error(`job ${task.job.id} was not sent to this thread`);
        job.stats.rows = repackRows(job.stats.rows);
        entry = { job, shared: prepareShared(model, job) };
        jobs.set(task.job.id, entry);
        for (const id of jobs.keys()) if (jobs.size > KEPT_JOBS) jobs.delete(id);
      }
      return explainBatch(model, entry.job, entry.shared, { ...task.batch, rows: repackRows(task.batch.rows) });
    }
    case 'label':
      return (await modelOf(state)).predictLabels(repackRows(task.rows));
    case 'predict':
      return (await modelOf(state)).predictRows(repackRows(task.rows));
    case 'bootstrap': {
      const b = state.inputs.bootstrap;
      if (!b) throw new Error('this pool was started without a bootstrap');
      return bootstrapReplicates(b.n, b.stats, b.seed, task.from, task.to);
    }
  }
}

/**
 * `rows` copied into arrays built element by element. Rows that crossed a thread boundary
 * (structured clone) arrive as generic arrays holding every number boxed; rows copied from them
 * (`row.slice()`, as every sampler does with the explained instance) stay generic, so each number
 * written into them allocates. Built by `push`, V8 stores a row of numbers unboxed: a LIME batch in
 * a worker thread took 1.44 × the CPU of the same batch in the main thread before this copy, and
 * the same CPU after it (measured on a 10-column ONNX network, 5,000 samples a row).
 */
export function repackRows(rows: Row[]): Row[] {
  const out: Row[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const copy: Row = [];
    for (let j = 0; j < r.length; j++) copy.push(r[j]);
    out[i] = copy;
  }
  return out;
}

/** {@link runTask}, with errors turned into data for the trip back to the main thread. */
export async function replyTo(state: TaskState, task: WorkerTask): Promise<TaskReply> {
  if (task.kind === 'explain' && !task.job.job && !state.jobs?.has(task.job.id)) return { needsJob: true };
  try {
    return { ok: await runTask(state, task) };
  } catch (e) {
    const err = e as InputError;
    return { error: { message: err?.message ?? String(e), detail: err?.detail, location: err?.location, input: isInputError(e) } };
  }
}

/** The value of a reply, or its error thrown again (an InputError stays an InputError). */
export function unwrapReply<T>(reply: TaskReply<T>): T {
  if ('ok' in reply) return reply.ok;
  if ('needsJob' in reply) throw new Error('a worker thread was sent a job it does not have');
  const { error } = reply;
  if (error.input) throw new InputError(error.detail ?? error.message, error.location ?? {});
  throw new Error(error.message);
}
