/**
 * `distill worker`: one machine of a fleet that explains the batches queued by
 * `distill explain --queue URL`, until stopped (SIGTERM or SIGINT let the batches in progress
 * finish). Needs nothing but the queue URL: inputs are fetched from Redis by hash and cached.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import { InputError } from '../../util/errors.js';
import { note, type GlobalArgs } from '../context.js';
import { queueOptions, queueTimeoutMs } from '../scale-options.js';

interface WorkerArgs extends GlobalArgs {
  queue: string;
  concurrency: number;
  cache?: string;
  stallSeconds: number;
  queueTimeout?: number;
}

const command: CommandModule<GlobalArgs, WorkerArgs> = {
  ...COMMAND_SUMMARIES.worker,
  builder: (y: Argv<GlobalArgs>) =>
    y
      .options({
        queue: { type: 'string', demandOption: true, describe: 'The queue: redis://[:password@]host[:port][/db]' },
        concurrency: { type: 'number', default: 1, describe: 'Batches at once (more than 1: in as many worker threads)' },
        cache: { type: 'string', describe: 'Folder for the inputs fetched from the queue (default $XDG_CACHE_HOME/surrogate-distill, else ~/.cache/surrogate-distill)' },
        'stall-seconds': { type: 'number', default: 30, describe: 'Seconds after which the batch of a worker that stopped answering goes to another worker' },
        'queue-timeout': queueOptions['queue-timeout'],
      })
      .example('$0 worker --queue redis://queue-host:6379/0', 'Take batches until stopped')
      .example('$0 worker --queue redis://:pw@queue-host:6379/0 --concurrency 8', 'Eight batches at once, in worker threads') as unknown as Argv<WorkerArgs>,
  handler: async (argv: ArgumentsCamelCase<WorkerArgs>) => {
    const { parseQueueUrl } = await import('../../scale/queue/url.js');
    const url = parseQueueUrl(String(argv.queue));
    const { resolveWorkers } = await import('../../scale/workers.js');
    const concurrency = resolveWorkers(argv.concurrency, '--concurrency');
    if (!(Number.isFinite(argv.stallSeconds) && argv.stallSeconds >= 1 && argv.stallSeconds <= 3600)) {
      throw new InputError(`expected seconds from 1 to 3600, got ${JSON.stringify(argv.stallSeconds)}`, { flag: '--stall-seconds' });
    }
    const { startQueueWorker } = await import('../../scale/queue/worker.js');
    const { defaultCacheDir } = await import('../../scale/queue/store.js');
    const w = await startQueueWorker({
      url,
      concurrency,
      cacheDir: argv.cache ?? defaultCacheDir(),
      stallSeconds: argv.stallSeconds,
      timeoutMs: queueTimeoutMs(argv),
      log: (t) => note(argv, t),
    });
    await new Promise<void>((resolve) => {
      const stop = () => {
        note(argv, 'worker: stopping after the batches in progress');
        w.close().then(resolve, resolve);
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
  },
};

export default command;
