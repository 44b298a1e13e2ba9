/**
 * Worker threads on one machine, with piscina: a {@link WorkerPool} holds the threads of one
 * piece of work (a bootstrap, an explanation run), or those of a model for as long as the model is
 * kept ({@link withWorkers}: every explanation run and large labelling on it, its threads started
 * once and warm from the second run on). Each thread loads the model once from its
 * {@link ModelOrigin} (a path or URL and the encoder, never the live object) and keeps it for
 * every task; idle threads do not keep the process alive. The work runs in the pool's threads
 * only; this thread hands it out and gathers the results ({@link shareWork}).
 *
 * Module loading: installed, a thread runs `worker.js` beside this module in `dist/`. Run from the
 * TypeScript sources (tests, `node --import tsx`), a thread cannot use tsx's loader: on Node 20 the
 * module hooks that `--import tsx` registers do not reach worker threads, so `import()` of a `.ts`
 * module fails there (and the toolkit loads its engines with `import()`). The sources' thread
 * entry is therefore bundled once per process with esbuild (which tsx brings) into ES modules
 * under `node_modules/.cache/surrogate-distill/worker-<hash>/`, packages left external (so they
 * resolve from the project's node_modules), lazily imported modules split into chunks of their
 * own, and each module's `import.meta.url` kept as its source file's URL (so that files it reads
 * relative to itself are found).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Piscina } from 'piscina';
import { rowCount, rowSlice, type RowsLike } from '../data/table.js';
import type { Row } from '../data/types.js';
import type { BatchResult, ExplainJob, RowBatch } from '../local/run.js';
import type { TabularModel } from '../model/types.js';
import { pathExists } from '../util/io.js';
import { unwrapReply, type TaskReply, type WorkerInputs, type WorkerTask } from './tasks.js';

let sourceEntry: Promise<string> | null = null;

/** The file (URL) a worker thread runs: `worker.js` beside this module, or the sources' bundle. */
export function workerEntry(): Promise<string> {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return Promise.resolve(new URL('./worker.js', here).href);
  sourceEntry ??= bundleSourceEntry(fileURLToPath(new URL('./worker.ts', here)));
  return sourceEntry;
}

/** Bundles the TypeScript thread entry (see the module comment); resolves to its URL. */
async function bundleSourceEntry(entry: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const tsxDir = dirname(require.resolve('tsx/package.json'));
  const esbuild = (await import(pathToFileURL(require.resolve('esbuild', { paths: [tsxDir] })).href)) as typeof import('esbuild');
  const base = join(tsxDir, '..', '.cache', 'surrogate-distill');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    // Each lazily imported module stays a chunk of its own, so that a thread loads an engine
    // (tfjs, onnxruntime) only when it uses it, as the main thread does.
    splitting: true,
    outdir: join(base, 'out'),
    outExtension: { '.js': '.mjs' },
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    plugins: [
      {
        name: 'source-urls',
        setup(build) {
          build.onLoad({ filter: /\.ts$/ }, async (args) => ({
            contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  const hash = createHash('sha256');
  for (const f of result.outputFiles) hash.update(f.path).update(f.contents);
  const dir = join(base, `worker-${hash.digest('hex').slice(0, 16)}`);
  const main = join(dir, 'worker.mjs');
  if (!(await pathExists(main))) {
    const tmp = `${dir}.${process.pid}.tmp`;
    for (const f of result.outputFiles) {
      const target = join(tmp, relative(join(base, 'out'), f.path));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.contents);
    }
    await rename(tmp, dir).catch(async (e) => {
      // Another process wrote the same bundle first.
      if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      await rm(tmp, { recursive: true, force: true });
    });
  }
  return pathToFileURL(main).href;
}

/**
 * The young generation of each worker thread's heap, in MiB. V8 starts marking for a full
 * collection (on its helper threads) whenever the room left under the old generation's limit is
 * no more than the young generation's capacity, and the room it leaves after a full collection
 * measured about 8 MB plus one semi-space (`--trace-incremental-marking`: size / limit / slack
 * 12 / 28 / 16 MB with 16 MiB, 16 / 39 / 23 MB with V8's default). Once the young generation has
 * grown to two semi-spaces of 8 MB or more, the room is used up as soon as it is left, and full
 * collections follow one another (every 0.2–0.4 s in a thread explaining SHAP), the helpers' work
 * taking the other thread's core. Smaller sizes leave more room (at 12 MiB, semi-spaces of 6 MB,
 * ten alternated pairs of SHAP runs over 200 rows had no such series; at 16 MiB they began at the
 * seventh pair) but cost LIME, whose samples then live through more young collections and reach
 * the old generation (CPU of two threads for LIME over 1,000 rows, 3 runs each: 8 MiB 10.6–11.0 s
 * and 2 MiB 17.5–18.5 s, against 9.0–10.2 s at 16 MiB and 8.5–9.6 s in one thread alone). In the
 * benchmark (docs/benchmarks.md, 2 workers against 1): 16 MiB LIME 1.61–1.82 ×, SHAP 1.77–2.01 ×
 * (4 runs); 12 MiB LIME 1.71–1.75 ×, SHAP 2.13–2.18 × (3 runs); 14 MiB LIME 1.89 × and 1.90 ×,
 * SHAP 1.98 × and 1.81 × (2 runs).
 */
export const WORKER_YOUNG_GENERATION_MB = 14;

/**
 * A fixed number of worker threads sharing `inputs`, started on the first task and stopped by
 * {@link WorkerPool.close}. Tasks queue when every thread is busy; each resolves on its own.
 *
 * @example
 * const pool = new WorkerPool(2, { model: model.origin });
 * const labels = await pool.run<Float64Array>({ kind: 'label', rows });
 * await pool.close();
 */
export class WorkerPool {
  private piscina: Promise<Piscina> | null = null;
  /** Tasks run so far (threads start with the first). */
  tasksRun = 0;
  /** Explanation tasks sent a second time, with their job, to a thread that did not have it. */
  jobsResent = 0;

  constructor(
    /** Number of threads. */
    readonly size: number,
    readonly inputs: WorkerInputs,
    /** `tasksPerThread`: tasks sent to a thread at once (default 1); a thread runs them one after the other (worker.ts). */
    readonly opts: { tasksPerThread?: number } = {},
  ) {}

  private start(): Promise<Piscina> {
    this.piscina ??= Promise.all([import('piscina'), workerEntry()]).then(([{ Piscina }, filename]) => {
      const p = new Piscina({
        filename,
        // The sources' bundle needs no TypeScript loader: a thread started without tsx's hooks
        // saves their start-up (about 0.2 s of CPU each).
        ...(filename.endsWith('.mjs') ? { execArgv: withoutTsx(process.execArgv) } : {}),
        workerData: this.inputs,
        minThreads: this.size,
        maxThreads: this.size,
        concurrentTasksPerWorker: this.opts.tasksPerThread ?? 1,
        // Tasks are coarse (a batch of rows); a thread idles on its event loop between them.
        atomics: 'disabled',
        idleTimeout: 60_000,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
      // A thread that dies is reported by the task it was running; nothing else to do here.
      p.on('error', () => {});
      return p;
    });
    return this.piscina;
  }

  /** Runs `task` in a thread; an InputError raised there is thrown here as an InputError. */
  async run<T>(task: WorkerTask): Promise<T> {
    const p = await this.start();
    this.tasksRun++;
    return unwrapReply((await p.run(task)) as TaskReply<T>);
  }

  /**
   * Explains `batch` of job `id` in a thread. The job itself goes with the task when `attach` is
   * set (a run's first tasks, one or two per thread), else only its id; a thread that does not
   * have it yet answers so, and the task is sent again with the job.
   */
  async explain(id: string, job: ExplainJob, batch: RowBatch, attach: boolean): Promise<BatchResult> {
    const p = await this.start();
    this.tasksRun++;
    let reply = (await p.run({ kind: 'explain', job: attach ? { id, job } : { id }, batch } satisfies WorkerTask)) as TaskReply<BatchResult>;
    if ('needsJob' in reply) {
      this.jobsResent++;
      reply = (await p.run({ kind: 'explain', job: { id, job }, batch } satisfies WorkerTask)) as TaskReply<BatchResult>;
    }
    return unwrapReply(reply);
  }

  /** The ids of the running threads (none before the first task). */
  async threadIds(): Promise<number[]> {
    return this.piscina ? (await this.piscina).threads.map((t) => t.threadId) : [];
  }

  /** Stops the threads (waiting for running tasks). */
  async close(): Promise<void> {
    const p = this.piscina;
    this.piscina = null;
    if (p) await (await p).destroy();
  }
}

/**
 * Runs items `0 … count − 1` in `threads` of `pool`'s threads (default all), and in this thread
 * too when `here` is given, each taking the next item not yet taken when it is free, so that no
 * thread waits while items remain. Each pool thread is kept two items ahead (a pool made with
 * `tasksPerThread: 2` holds one waiting while one runs), so that it never waits for this thread to
 * send the next. Once an item fails no other starts; the first failure is thrown when the running
 * ones are done. `inPool(i)` and `here(i)` compute the same result.
 *
 * Whether this thread should take items: labelling, yes, with as many items in flight in the pool
 * as it has threads less one (an item is mostly the engine's work, and an item sent to a thread
 * has its rows copied on the way: labelling 300,000 rows of adult.csv with a small network took
 * 1.0–1.25 s with two pool threads and this thread only sending, 0.7–1.0 s with this thread
 * labelling too, and 0.5–0.65 s in this thread alone); a bootstrap, yes (its threads start for it
 * alone, and this thread's work overlaps their start-up); explaining, no (see {@link threadRunner}).
 *
 * @example
 * const labels = await shareWork(chunks.length, pool, (i) => pool.run<Float64Array>({ kind: 'label', rows: chunks[i] }), { here: (i) => model.predictLabels(chunks[i]) });
 */
export async function shareWork<T>(
  count: number,
  pool: WorkerPool,
  inPool: (i: number) => Promise<T>,
  opts: { here?: (i: number) => Promise<T> | T; done?: (i: number) => void; threads?: number } = {},
): Promise<T[]> {
  const { here, done, threads = pool.size } = opts;
  const results: T[] = new Array(count);
  let next = 0;
  const loop = async (run: (i: number) => Promise<T> | T) => {
    for (let i = next++; i < count; i = next++) {
      try {
        results[i] = await run(i);
      } catch (e) {
        next = count;
        throw e;
      }
      done?.(i);
    }
  };
  const loops = Array.from({ length: 2 * Math.min(threads, pool.size) }, () => loop(inPool));
  if (here) {
    // This thread's items hand the event loop back before each starts: the pool's messages (a
    // thread ready, a result, the next item to send) wait for it, since an item here may not
    // yield to it at all (onnxruntime-node's run, for one, blocks until its answer).
    loops.push(
      loop(async (i) => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        return here(i);
      }),
    );
  }
  await settleAll(loops);
  return results;
}

/**
 * The options a sources' thread is started with: `args` (the process's `execArgv`) without those
 * that load tsx (`--import tsx`, `--require …/tsx/dist/preflight.cjs`, `--import=…`), keeping
 * only options a thread accepts (`--conditions`, warnings, source maps, experimental features): a
 * thread given V8 or process-wide options (`--max-old-space-size`, `--cpu-prof`) refuses to start.
 */
export function withoutTsx(args: readonly string[]): string[] {
  const out: string[] = [];
  const loads = (v: string) => /(^|[/\\])tsx([/\\]|$)/.test(v);
  const keep = (a: string) => /^--(conditions|enable-source-maps|no-warnings|no-deprecation|trace-warnings|experimental-[a-z-]+)(=|$)/.test(a) || a === '-C';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const valued = ['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C'].includes(a) && i + 1 < args.length;
    if (valued && !loads(args[i + 1]) && keep(a)) out.push(a, args[i + 1]);
    else if (!valued && keep(a) && !(a.includes('=') && loads(a.slice(a.indexOf('=') + 1)))) out.push(a);
    if (valued) i++;
  }
  return out;
}

/**
 * Like `Promise.all`, but settles every promise before rejecting with the first failure, so that
 * a pool is never closed under tasks still running.
 */
export async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** A model whose large labelling calls ({@link labelRows} in the extractors) run in worker threads. */
export interface PooledModel extends TabularModel {
  readonly pool: WorkerPool;
}

/** The pool of a model made by {@link withWorkers}, if any. */
export function poolOf(model: TabularModel): WorkerPool | undefined {
  return (model as Partial<PooledModel>).pool;
}

/**
 * `model` with a pool of `workers` threads, each loading its own copy of the model, for
 * labelling large samples (the pedagogical extractors' `labelRows`) and explaining batches
 * ({@link threadRunner}) there. The threads start only when a run is large enough to be worth
 * them, and are kept from run to run (a thread's start-up and the compilation of its hot code, a
 * second or two of CPU, are paid once); `dispose()` stops them and disposes the model.
 *
 * @returns `{ model }` unchanged with a `reason` when threads cannot be used: one worker, or a
 *   model without an origin (a JS function model cannot be sent to a thread).
 * @example
 * const { model: m, reason } = withWorkers(model, 4);
 * const rs = await extractRules('cart', { model: m, data, seed }, { samples: 200000 });
 * for (const rows of chunks) files.push(await explainRows('shap', { model: m, data, rows, rowIds, runner: threadRunner(m, 4) }));
 * await m.dispose();
 */
export function withWorkers(model: TabularModel, workers: number): { model: TabularModel; reason?: string } {
  if (workers <= 1) return { model };
  const reason = noThreadsReason(model);
  if (reason) return { model, reason };
  const pool = new WorkerPool(workers, { model: model.origin }, { tasksPerThread: 2 });
  const pooled = Object.create(model, {
    pool: { value: pool, enumerable: true },
    dispose: {
      value: async () => {
        await pool.close();
        await model.dispose();
      },
    },
  }) as PooledModel;
  return { model: pooled };
}

/** Why `model` cannot be loaded in a worker thread, or undefined when it can. */
export function noThreadsReason(model: TabularModel): string | undefined {
  if (model.origin) return undefined;
  const what = model.identity.type === 'function' ? 'a JavaScript function' : `a ${model.identity.type} model built in memory`;
  return `the model is ${what}, which cannot be sent to a worker thread: running in this thread`;
}

/**
 * Labels `rows` in chunks of `chunk` rows in the pool's threads and in this thread (with `model`)
 * at once ({@link shareWork}), calling `onChunk` with the rows done as each chunk returns; the
 * labels come back in row order.
 */
export async function labelInPool(pool: WorkerPool, model: TabularModel, rows: RowsLike, chunk: number, onChunk: (done: number) => void): Promise<Float64Array> {
  const n = rowCount(rows);
  const out = new Float64Array(n);
  const starts = Array.from({ length: Math.ceil(n / chunk) }, (_, k) => k * chunk);
  const part = (k: number) => rowSlice(rows, starts[k], Math.min(n, starts[k] + chunk));
  let done = 0;
  await shareWork(starts.length, pool, (k) => pool.run<Float64Array>({ kind: 'label', rows: part(k) }).then((labels) => out.set(labels, starts[k])), {
    here: (k) => model.predictLabels(part(k)).then((labels) => out.set(labels, starts[k])),
    done: (k) => onChunk((done += Math.min(chunk, n - starts[k]))),
    threads: Math.max(1, pool.size - 1),
  });
  return out;
}

/** How a note names the threads of a run: "2 worker threads", or with `thisOne` "2 threads (this one and 1 worker thread)". */
export function threadsText(threads: number, thisOne = false): string {
  if (thisOne) return `${threads} threads (this one and ${threads - 1} worker thread${threads > 2 ? 's' : ''})`;
  return `${threads} worker thread${threads === 1 ? '' : 's'}`;
}
