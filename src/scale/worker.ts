/**
 * The worker-thread entry of {@link WorkerPool} (piscina loads this file in each thread). A thread
 * keeps its state between tasks: it loads the model once, and prepares an explanation job's
 * shared context once.
 */
import { workerData } from 'node:worker_threads';
import { replyTo, type TaskReply, type TaskState, type WorkerInputs, type WorkerTask } from './tasks.js';

const state: TaskState = { inputs: workerData as WorkerInputs };

/** Runs one task of the pool in this thread. */
export default function run(task: WorkerTask): Promise<TaskReply> {
  return replyTo(state, task);
}
