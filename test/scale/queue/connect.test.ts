/**
 * Queue URLs and the first connection: every way of not reaching a usable Redis is one line
 * naming --queue, within the timeout, without the password. Old and silent servers are played
 * by small TCP servers on the loopback interface.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRedisVersion, probeRedis } from '../../../src/scale/queue/connect.js';
import { parseQueueUrl, redactUrl } from '../../../src/scale/queue/url.js';
import { freePort } from '../../helpers/redis.js';

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

/** A TCP server on 127.0.0.1: `reply` answers each command received, by name (none: never answers). */
async function fakeRedis(reply?: (command: string) => string): Promise<number> {
  const s = createServer((c) =>
    c.on('data', (d) => {
      if (!reply) return;
      for (const m of d.toString().matchAll(/\*\d+\r\n\$\d+\r\n([^\r]*)\r\n/g)) c.write(reply(m[1].toLowerCase()));
    }),
  );
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as { port: number }).port;
}

describe('parseQueueUrl', () => {
  it('reads host, port, database and password, and prints none of the password', () => {
    const u = parseQueueUrl('redis://:s3cret@queue.example:6380/2');
    expect(u).toMatchObject({ host: 'queue.example', port: 6380, db: 2, password: 's3cret', tls: false, safe: 'redis://:***@queue.example:6380/2' });
    expect(parseQueueUrl('rediss://h')).toMatchObject({ port: 6379, db: 0, tls: true, safe: 'rediss://h:6379/0' });
    expect(redactUrl('at redis://user:pw@h:1/0 and redis://:x@y')).toBe('at redis://user:***@h:1/0 and redis://:***@y');
  });

  it.each([
    ['http://host:6379', /unsupported scheme "http"/],
    ['redis://host:99999/0', /not a URL|bad port/],
    ['redis://host:6379/zero', /the database must be a number/],
    ['redis://:pw@host/0?x=1', /no query/],
    ['not a url :pw@', /not a URL/],
  ])('rejects %s naming --queue', (text, why) => {
    let err: Error | undefined;
    try {
      parseQueueUrl(text);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(/^--queue: /);
    expect(err?.message).toMatch(why);
    expect(err?.message).not.toContain('pw@');
  });
});

describe('probeRedis', () => {
  it('BullMQ needs Redis 5 or newer', () => {
    const url = parseQueueUrl('redis://h');
    expect(() => checkRedisVersion('4.0.9', url)).toThrow('--queue: redis://h:6379/0 runs Redis 4.0.9; the queue (BullMQ) needs Redis 5.0.0 or newer');
    expect(() => checkRedisVersion('5.0.0', url)).not.toThrow();
    expect(() => checkRedisVersion(undefined, url)).toThrow(/did not report a Redis version/);
  });

  it('an old server, a refused connection and a silent server: one line each, within the timeout', async () => {
    const info = '# Server\r\nredis_version:4.0.9\r\n';
    const old = await fakeRedis((cmd) => (cmd === 'info' ? `$${info.length}\r\n${info}\r\n` : '+OK\r\n'));
    await expect(probeRedis(parseQueueUrl(`redis://:pw@127.0.0.1:${old}/0`), 2000)).rejects.toThrow(/runs Redis 4\.0\.9; the queue \(BullMQ\) needs Redis 5\.0\.0/);
    const closed = await freePort();
    await expect(probeRedis(parseQueueUrl(`redis://127.0.0.1:${closed}`), 2000)).rejects.toThrow(`--queue: cannot reach Redis at 127.0.0.1:${closed}: connection refused`);
    const silent = await fakeRedis();
    const t0 = Date.now();
    await expect(probeRedis(parseQueueUrl(`redis://127.0.0.1:${silent}`), 500)).rejects.toThrow(`--queue: no answer from Redis at 127.0.0.1:${silent} within 0.5 s`);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
