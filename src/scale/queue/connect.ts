/**
 * Connecting to the queue's Redis (ioredis, as BullMQ wants it): a first connection that fails
 * fast with one clear line (unreachable host, refused connection, timeout, wrong password, a Redis
 * too old for BullMQ), then the long-lived connections BullMQ uses, which reconnect on their own.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { InputError } from '../../util/errors.js';
import type { QueueUrl } from './url.js';

/** Oldest Redis BullMQ runs on (its own check: `RedisConnection.minimumVersion`). */
export const MIN_REDIS_VERSION = '5.0.0';

/** Default seconds to wait for Redis to answer the first time. */
export const QUEUE_TIMEOUT_SECONDS = 10;

function baseOptions(url: QueueUrl): RedisOptions {
  return { host: url.host, port: url.port, db: url.db, username: url.username, password: url.password, tls: url.tls ? {} : undefined, lazyConnect: true };
}

/**
 * Checks that `version` (e.g. `7.0.15`) is at least {@link MIN_REDIS_VERSION}.
 *
 * @throws InputError naming `--queue` when it is older or unreadable.
 */
export function checkRedisVersion(version: string | undefined, url: QueueUrl): void {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) throw new InputError(`${url.safe} did not report a Redis version: is it a Redis server?`, { flag: '--queue' });
  const [maj, min] = [Number(m[1]), Number(m[2])];
  const [needMaj, needMin] = MIN_REDIS_VERSION.split('.').map(Number);
  if (maj < needMaj || (maj === needMaj && min < needMin)) {
    throw new InputError(`${url.safe} runs Redis ${version}; the queue (BullMQ) needs Redis ${MIN_REDIS_VERSION} or newer`, { flag: '--queue' });
  }
}

function describe(e: unknown, url: QueueUrl, timeoutMs: number): string {
  const err = e as NodeJS.ErrnoException;
  const msg = String(err?.message ?? e);
  const where = `${url.host}:${url.port}`;
  if (err?.code === 'ECONNREFUSED') return `cannot reach Redis at ${where}: connection refused (is redis-server running?)`;
  if (err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN') return `cannot reach Redis at ${where}: host not found`;
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(msg)) return `Redis at ${where} refused the credentials${url.password ? '' : ': it needs a password (redis://:PASSWORD@host)'}`;
  if (/ETIMEDOUT|timed out|timeout/i.test(msg)) return `no answer from Redis at ${where} within ${timeoutMs / 1000} s`;
  if (/DB index is out of range|invalid DB index/i.test(msg)) return `Redis at ${where} has no database ${url.db}`;
  return `cannot use Redis at ${where}: ${msg.split('\n')[0]}`;
}

/**
 * Connects once, checks the server and its version, and disconnects.
 *
 * @throws InputError naming `--queue`, in one line, within about `timeoutMs`.
 * @example
 * await probeRedis(parseQueueUrl('redis://127.0.0.1:6379'), 10_000);
 */
export async function probeRedis(url: QueueUrl, timeoutMs: number): Promise<string> {
  const { Redis } = await import('ioredis');
  const client = new Redis({ ...baseOptions(url), connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false, enableReadyCheck: false });
  let lastError: unknown;
  client.on('error', (e) => (lastError = e));
  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await Promise.race([
      client.connect().then(() => client.info('server')),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), timeoutMs + 500))),
    ]);
    const version = /redis_version:([^\r\n]+)/.exec(info)?.[1];
    checkRedisVersion(version, url);
    return version!;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const cause = (e as NodeJS.ErrnoException)?.code || !lastError ? e : lastError;
    throw new InputError(describe(cause, url, timeoutMs), { flag: '--queue' });
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/**
 * A long-lived connection for BullMQ (it reconnects after a drop; `maxRetriesPerRequest: null` as
 * BullMQ requires for workers).
 */
export async function bullConnection(url: QueueUrl): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis({ ...baseOptions(url), lazyConnect: false, maxRetriesPerRequest: null });
  // Connection errors are retried by ioredis; BullMQ reports the ones that matter.
  client.on('error', () => {});
  return client;
}
