/**
 * A real Redis for the queue tests: `redis-server` on 127.0.0.1 at a free port, with no
 * persistence (`--save '' --appendonly no`) and a temporary `--dir`, stopped (and its folder
 * removed) by `stop()`. When redis-server is not installed, {@link redisMissing} says so and the
 * tests that need it are skipped with that reason.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.REDIS_SERVER ?? 'redis-server';

/** Why the queue tests cannot run here (redis-server absent), or null. */
export const redisMissing: string | null = spawnSync(BIN, ['--version'], { encoding: 'utf8' }).status === 0 ? null : `${BIN} is not installed (apt-get install redis-server)`;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts redis-server (with `requirepass` when `password` is given) and resolves once it accepts connections. */
export async function startRedis(opts: { password?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'distill-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
  if (opts.password) args.push('--requirepass', opts.password);
  const child: ChildProcess = spawn(BIN, args, { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1', () => (c.end(), resolve(true)));
      c.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `redis://${opts.password ? `:${opts.password}@` : ''}127.0.0.1:${port}/0`,
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
