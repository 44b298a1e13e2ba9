/**
 * A queued explanation run as stored in Redis: the manifest (the model's stored files, the job
 * with its statistics' data by hash) and the run's id, derived from the inputs' hashes and the
 * options so that the same command run again finds the batches already done.
 *
 * Keys (besides the blobs of `store.ts` and BullMQ's own `distill:explain:*`):
 * `distill:run:<run id>`: a hash with the run's `createdAt` (the first coordinator's), kept while
 * the run is unfinished. BullMQ job ids: `<run id>-<batch index>`.
 */
import type { ExplainJob, RowBatch } from '../../local/run.js';
import { sha256Hex, type StoredModel } from './store.js';

export const MANIFEST_FORMAT = 'surrogate-distill/queue-run' as const;

/** The queue (BullMQ queue name) batches of explanation runs go to. */
export const EXPLAIN_QUEUE = 'explain';

export interface QueueManifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  model: StoredModel;
  /** The job, its statistics' data replaced by the hash of its JSON. */
  job: Omit<ExplainJob, 'stats'> & { stats: string };
}

/** What a BullMQ job of a run carries: the run, its manifest's hash, and the batch's rows. */
export interface BatchJobData {
  run: string;
  manifest: string;
  batch: RowBatch;
}

/**
 * The id of a run: a hash of the manifest without its creation time, and of the batches (rows and
 * ids), so that the same inputs, options and batch size give the same id.
 */
export function runId(manifest: QueueManifest, batches: readonly RowBatch[]): string {
  const { createdAt: _t, ...job } = manifest.job;
  return sha256Hex(JSON.stringify({ ...manifest, job }) + '\n' + sha256Hex(JSON.stringify(batches))).slice(0, 32);
}

/** `distill:run:<id>`. */
export const runKey = (prefix: string, id: string) => `${prefix}:run:${id}`;

/** BullMQ's job id of batch `index` of run `id`. */
export const batchJobId = (id: string, index: number) => `${id}-${index}`;

/** "rows 300-399" (the row ids of a batch, as reported). */
export function batchRowsText(batch: RowBatch): string {
  const ids = batch.rowIds;
  if (!ids.length) return 'no rows';
  return ids.length === 1 ? `row ${ids[0]}` : `rows ${ids[0]}-${ids[ids.length - 1]}`;
}
