/** Public API of src/scale: re-exports only. */
export { WorkerPool, withWorkers, poolOf, noThreadsReason, labelInPool, workerEntry, type PooledModel } from './pool.js';
export { threadRunner, cutPieces } from './explain.js';
export { threadBootstrapper, BOOTSTRAP_POOL_MIN_DRAWS } from './bootstrap.js';
export { resolveWorkers, defaultWorkers, MAX_WORKERS } from './workers.js';
export { runTask, replyTo, unwrapReply, type WorkerInputs, type WorkerTask, type TaskReply, type TaskState } from './tasks.js';
