/**
 * The coordinator side of a queued run (`distill explain --queue URL`): it stores the run's inputs
 * in Redis, enqueues one BullMQ job per batch (ids derived from the inputs, so a restarted
 * coordinator finds the batches already done and does not add them again), reports progress,
 * and gathers the results in batch order for `explainRows` to write the same file as a local run.
 */
import type { BatchResult, BatchRunner, RowBatch } from '../../local/run.js';
import type { TabularModel } from '../../model/types.js';
import { InputError } from '../../util/errors.js';
import { bullConnection, probeRedis } from './connect.js';
import { batchJobId, batchRowsText, EXPLAIN_QUEUE, MANIFEST_FORMAT, runId, runKey, type BatchJobData, type QueueManifest } from './manifest.js';
import { BLOB_TTL_SECONDS, KEY_PREFIX, putBlob, putModel } from './store.js';
import type { QueueUrl } from './url.js';

/** Attempts of a batch before the run fails (a worker killed mid-batch costs one when its lock expires). */
export const BATCH_ATTEMPTS = 3;

export interface QueueRunnerOptions {
  url: QueueUrl;
  model: TabularModel;
  /** Milliseconds to wait for Redis to answer the first time. */
  timeoutMs: number;
  /** Lines for the user (stderr). */
  note: (text: string) => void;
}

/**
 * Connects to the queue (failing fast with one line if Redis is unreachable, refuses the
 * password or is too old) and returns the runner that sends a run's batches through it.
 *
 * @throws InputError naming `--queue`.
 * @example
 * const runner = await queueRunner({ url: parseQueueUrl('redis://127.0.0.1:6379/0'), model, timeoutMs: 10_000, note: console.error });
 * const file = await explainRows('lime', { model, data, rows, rowIds, runner });
 */
export async function queueRunner(opts: QueueRunnerOptions): Promise<BatchRunner> {
  const { url, model, note } = opts;
  const origin = model.origin;
  if (!origin) throw new InputError('the model was not loaded from a file or URL, so queue workers cannot load it', { flag: '--queue' });
  await probeRedis(url, opts.timeoutMs);
  return {
    async run(job, batches, done) {
      const { Queue, QueueEvents } = await import('bullmq');
      const redis = await bullConnection(url);
      const queue = new Queue<BatchJobData>(EXPLAIN_QUEUE, { connection: redis, prefix: KEY_PREFIX });
      const eventsRedis = redis.duplicate();
      const events = new QueueEvents(EXPLAIN_QUEUE, { connection: eventsRedis, prefix: KEY_PREFIX });
      try {
        const model = await putModel(redis, origin);
        const stats = await putBlob(redis, JSON.stringify(job.stats));
        const draft: QueueManifest = { format: MANIFEST_FORMAT, version: 1, model, job: { ...job, stats } };
        const id = runId(draft, batches);
        // The first coordinator of a run fixes its creation time; a restarted one takes it over.
        const key = runKey(KEY_PREFIX, id);
        await redis.hsetnx(key, 'createdAt', job.createdAt);
        await redis.expire(key, BLOB_TTL_SECONDS);
        job.createdAt = (await redis.hget(key, 'createdAt')) ?? job.createdAt;
        const manifest = await putBlob(redis, JSON.stringify({ ...draft, job: { ...draft.job, createdAt: job.createdAt } }));

        // One listener per batch waits on these.
        queue.setMaxListeners(batches.length + 10);
        events.setMaxListeners(batches.length + 10);
        await events.waitUntilReady();
        let before = 0;
        const fresh: RowBatch[] = [];
        for (const b of batches) {
          const existing = await queue.getJob(batchJobId(id, b.index));
          if (!existing) fresh.push(b);
          else {
            const state = await existing.getState();
            if (state === 'completed') before++;
            else if (state === 'failed') await existing.retry('failed');
          }
        }
        note(`queue ${url.safe}: run ${id.slice(0, 12)}, ${batches.length} batches of up to ${batches[0].rows.length} rows${before ? `, ${before} already done (resuming)` : ''}`);
        await queue.addBulk(
          fresh.map((b) => ({
            name: 'batch',
            data: { run: id, manifest, batch: b },
            opts: { jobId: batchJobId(id, b.index), attempts: BATCH_ATTEMPTS, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false },
          })),
        );

        let finished = 0;
        let last = 0;
        const report = (force = false) => {
          const now = Date.now();
          if (force || now - last >= 1000) {
            last = now;
            note(`queue: ${finished}/${batches.length} batches done`);
          }
        };
        const results = await Promise.all(
          batches.map(async (b) => {
            const jobId = batchJobId(id, b.index);
            const j = await queue.getJob(jobId);
            if (!j) throw new Error(`batch ${b.index} vanished from the queue`);
            try {
              await j.waitUntilFinished(events);
            } catch (e) {
              throw new InputError(`batch ${b.index} (${batchRowsText(b)}) failed on the workers: ${(e as Error).message.split('\n')[0]}`, { flag: '--queue' });
            }
            const r = (await queue.getJob(jobId))?.returnvalue as BatchResult | undefined;
            if (!r) throw new Error(`batch ${b.index} finished without a result`);
            finished++;
            done(b.rows.length);
            report();
            return r;
          }),
        );
        report(true);
        // The run is complete: its jobs and record are no longer needed (the inputs expire by themselves).
        for (const b of batches) await queue.remove(batchJobId(id, b.index));
        await redis.del(key);
        return results;
      } finally {
        await events.close().catch(() => {});
        await queue.close().catch(() => {});
        // BullMQ leaves connections it was given open.
        eventsRedis.disconnect();
        redis.disconnect();
      }
    },
  };
}
