/**
 * The worker side of the queue (`distill worker --queue URL`): takes batches from BullMQ, fetches
 * the run's inputs by hash (kept on disk, fetched once), loads the model once per run, explains
 * the batch with the same `explainBatch` as a local run, and returns the result. A worker killed
 * mid-batch holds no state others need: its lock expires and another worker takes the batch
 * again (BullMQ's stalled-job check), at most {@link BATCH_ATTEMPTS} times.
 */
import type { Job, Worker } from 'bullmq';
import { localExplainers } from '../../local/registry.js';
import { explainBatch, prepareShared, type BatchResult, type ExplainJob, type SharedContext } from '../../local/run.js';
import { reloadModel } from '../../model/loadModel.js';
import type { TabularModel } from '../../model/types.js';
import { isInputError } from '../../util/errors.js';
import { WorkerPool } from '../pool.js';
import { bullConnection, probeRedis } from './connect.js';
import { batchRowsText, EXPLAIN_QUEUE, type BatchJobData, type QueueManifest } from './manifest.js';
import { fetchModel, getBlob, KEY_PREFIX } from './store.js';
import type { QueueUrl } from './url.js';

export interface QueueWorkerOptions {
  url: QueueUrl;
  /** Batches computed at once: 1 in this thread, more in as many worker threads. */
  concurrency: number;
  /** Where fetched inputs are kept. */
  cacheDir: string;
  /** Seconds after which the batch of a worker that stopped answering is given to another (BullMQ's lock duration and stalled-check interval). */
  stallSeconds: number;
  /** Milliseconds to wait for Redis to answer the first time. */
  timeoutMs: number;
  /** Lines for the operator (stderr). */
  log: (text: string) => void;
}

/** Runs whose loaded model a worker keeps (batches of several runs may interleave). */
const KEPT_RUNS = 3;

interface RunContext {
  model: TabularModel;
  job: ExplainJob;
  shared: SharedContext;
  pool?: WorkerPool;
}

/**
 * Imports what a batch may need: the model adapters (onnxruntime, tfjs and its backends) and
 * every local method. The CLI loads these only when a command needs them, but a worker is a
 * long-lived process: evaluating them blocks its event loop for seconds, and during its first
 * batch that would keep it from renewing the batch's lock, so that another worker would take the
 * batch again (with `--stall-seconds 2` on a loaded machine, it did).
 */
async function preloadEngines(): Promise<void> {
  await Promise.all([
    import('../../model/onnxModel.js'),
    import('../../model/layers.js'),
    import('../../model/kerasModel.js'),
    import('../../model/backend.js'),
    ...Object.values(localExplainers).map((e) => e.load()),
  ]);
}

/**
 * Connects (failing fast with one line when Redis cannot be used) and starts taking batches;
 * resolves to the running worker. `close()` lets the batches in progress finish, then stops.
 *
 * @throws InputError naming `--queue`.
 * @example
 * const w = await startQueueWorker({ url, concurrency: 2, cacheDir, stallSeconds: 30, timeoutMs: 10_000, log: console.error });
 * process.on('SIGTERM', () => w.close());
 */
export async function startQueueWorker(opts: QueueWorkerOptions): Promise<{ close(): Promise<void>; worker: Worker }> {
  const { url, log } = opts;
  await probeRedis(url, opts.timeoutMs);
  const [{ Worker, UnrecoverableError }] = await Promise.all([import('bullmq'), preloadEngines()]);
  const redis = await bullConnection(url);
  const runs = new Map<string, Promise<RunContext>>();

  async function load(manifestHash: string): Promise<RunContext> {
    const manifest = JSON.parse((await getBlob(redis, manifestHash, opts.cacheDir)).toString('utf8')) as QueueManifest;
    const origin = await fetchModel(redis, manifest.model, opts.cacheDir);
    const stats = JSON.parse((await getBlob(redis, manifest.job.stats, opts.cacheDir)).toString('utf8')) as ExplainJob['stats'];
    const job: ExplainJob = { ...manifest.job, stats };
    const model = await reloadModel(origin);
    const pool = opts.concurrency > 1 ? new WorkerPool(opts.concurrency, { model: origin }) : undefined;
    return { model, job, shared: prepareShared(model, job), pool };
  }

  /** The run's context, loaded once; beyond the last {@link KEPT_RUNS} runs, the oldest's model and threads are let go. */
  function contextFor(manifestHash: string): Promise<RunContext> {
    let ctx = runs.get(manifestHash);
    if (!ctx) {
      while (runs.size >= KEPT_RUNS) {
        const [k, old] = runs.entries().next().value as [string, Promise<RunContext>];
        runs.delete(k);
        void old.then(async (c) => {
          await c.pool?.close();
          await c.model.dispose();
        }, () => {});
      }
      ctx = load(manifestHash);
      ctx.catch(() => runs.delete(manifestHash));
      runs.set(manifestHash, ctx);
    }
    return ctx;
  }

  const processor = async (j: Job<BatchJobData>): Promise<BatchResult> => {
    const { run, manifest, batch } = j.data;
    const t0 = performance.now();
    try {
      const ctx = await contextFor(manifest);
      const result = ctx.pool ? await ctx.pool.explain(manifest, ctx.job, batch, false) : await explainBatch(ctx.model, ctx.job, ctx.shared, batch);
      log(`worker: run ${run.slice(0, 12)} batch ${batch.index} (${batchRowsText(batch)}) done in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      return result;
    } catch (e) {
      const msg = (e as Error)?.message ?? String(e);
      log(`worker: run ${run.slice(0, 12)} batch ${batch.index} (${batchRowsText(batch)}) failed: ${msg.split('\n')[0]}`);
      // Bad input fails the same way on every attempt: no retry.
      if (isInputError(e)) throw new UnrecoverableError(msg);
      throw e;
    }
  };

  const stallMs = Math.round(opts.stallSeconds * 1000);
  const worker = new Worker<BatchJobData, BatchResult>(EXPLAIN_QUEUE, processor, {
    connection: redis,
    prefix: KEY_PREFIX,
    concurrency: opts.concurrency,
    lockDuration: stallMs,
    stalledInterval: stallMs,
    maxStalledCount: 2,
  });
  worker.on('error', (e) => log(`worker: ${String((e as Error)?.message ?? e).split('\n')[0]}`));
  await worker.waitUntilReady();
  log(`worker: waiting for batches on ${url.safe} (concurrency ${opts.concurrency}, inputs cached in ${opts.cacheDir})`);
  return {
    worker,
    async close() {
      await worker.close();
      for (const ctx of runs.values()) {
        const c = await ctx.catch(() => null);
        await c?.pool?.close();
        await c?.model.dispose();
      }
      redis.disconnect();
    },
  };
}
