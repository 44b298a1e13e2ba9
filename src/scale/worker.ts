/**
 * The worker-thread entry of {@link WorkerPool} (piscina loads this file in each thread). A thread
 * keeps its state between tasks: it loads the model once, and prepares an explanation job's
 * shared context once. A pool may send a thread a second task while the first runs (so that the
 * thread never waits for the main thread to send the next); the thread still runs them one after
 * the other, since two interleaved at their awaits would both finish late.
 */
import { workerData } from 'node:worker_threads';
import { replyTo, type TaskReply, type TaskState, type WorkerInputs, type WorkerTask } from './tasks.js';

const state: TaskState = { inputs: workerData as WorkerInputs };
let previous: Promise<unknown> = Promise.resolve();

/** Runs one task of the pool in this thread, after the tasks it was sent before. */
export default function run(task: WorkerTask): Promise<TaskReply> {
  const reply = previous.then(() => replyTo(state, task));
  previous = reply;
  return reply;
}
