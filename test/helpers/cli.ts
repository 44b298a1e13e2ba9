/**
 * Runs `distill` commands in the test process, as `main(argv)` with captured streams, and (for a
 * few smoke tests) the real built binary `bin/distill.js` in a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

export { ensureBuilt } from '../../scripts/ensure-built.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `SOURCE_DATE_EPOCH` of every run (2026-01-01): outputs carry a fixed creation time. */
export const TEST_EPOCH = '1767225600';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Environment variables set for the run (`SOURCE_DATE_EPOCH` is set unless given). */
  env?: Record<string, string>;
  /** Standard input of the run (read for the data path `-`). */
  stdin?: string;
}

/** A capturing stream: not a terminal, so no progress bars, and help wrapped at 100 columns. */
function buffer(): { write(s: string | Uint8Array): boolean; text(): string } {
  const parts: string[] = [];
  return {
    write: (s) => (parts.push(typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), true),
    text: () => parts.join(''),
  };
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `distill ...args` in-process and resolves with its exit code and output.
 *
 * Runs are serialised (the environment, the tfjs backend and the process streams are shared by
 * the whole test process), so `Promise.all` of several runs is safe. For the length of a run the
 * environment holds `opts.env` (and `SOURCE_DATE_EPOCH`), and anything the code writes to
 * `process.stdout` / `process.stderr` directly is captured with what it writes through the
 * command context. Paths are resolved against the project root, the cwd of the test process.
 *
 * @example
 * const r = await runCli(['datasets', '--format', 'json']);
 * expect(r.code).toBe(0);
 */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const run = queue.then(() => runNow(args, opts));
  queue = run.catch(() => {});
  return run;
}

async function runNow(args: string[], opts: CliOptions): Promise<CliResult> {
  const env: Record<string, string> = { SOURCE_DATE_EPOCH: TEST_EPOCH, ...opts.env };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const out = buffer();
  const err = buffer();
  const writes = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = out.write as typeof process.stdout.write;
  process.stderr.write = err.write as typeof process.stderr.write;
  try {
    const stdin = opts.stdin === undefined ? undefined : Readable.from([Buffer.from(opts.stdin)]);
    const code = await main(args, { stdout: out, stderr: err, stdin });
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const BIN = join(ROOT, 'bin', 'distill.js');

/**
 * Starts the built binary `node bin/distill.js ...args` as a child process with stdin closed, for
 * tests that need a separate program (a queue worker, a run killed midway). Call
 * {@link ensureBuilt} first.
 *
 * @param nodeArgs flags for node itself, e.g. `['--import', hook]`.
 * @example
 * const worker = spawnBuiltCli(['worker', '--queue', url], { stdout: 'ignore' });
 */
export function spawnBuiltCli(args: string[], opts: CliOptions & { nodeArgs?: string[]; stdout?: 'pipe' | 'ignore' } = {}): ChildProcess {
  return spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, SOURCE_DATE_EPOCH: TEST_EPOCH, ...opts.env },
    stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'],
  });
}

/**
 * Runs the built binary `node bin/distill.js ...args` in a child process (smoke tests: start-up,
 * exit codes and streams of the real program). Call {@link ensureBuilt} first.
 *
 * @param nodeArgs flags for node itself, e.g. `['--import', hook]`.
 */
export function runBuiltCli(args: string[], opts: CliOptions & { nodeArgs?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnBuiltCli(args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
