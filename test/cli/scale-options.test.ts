/**
 * The scale flags on the command line: `--workers` on explain, score and extract, `--queue` and
 * `--rows-per-batch` on explain, `--concurrency` on worker. Bad values are one line naming the
 * flag, exit 2 and no output file; `--workers 2` writes the bytes `--workers 1` does.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/redis.js';
import { explainFixtureArgs, writeScaleFixture } from '../scale/fixture.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'distill-scale-cli-'));
  writeScaleFixture(dir, 300);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const explain = (out: string, ...more: string[]) => [...explainFixtureArgs(dir, join(dir, out)), ...more];

/** Exit 2, one line naming `flag` and matching `why`, and no output file. */
async function rejects(args: string[], flag: string, why: RegExp, out?: string): Promise<void> {
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^distill: ${flag}: `));
  expect(lines[0]).toMatch(why);
  if (out) expect(existsSync(join(dir, out))).toBe(false);
}

describe('scale flags', () => {
  it('--workers 2 writes the same bytes as --workers 1, and says it used threads', async () => {
    const [one, two] = await Promise.all([runCli(explain('one.json', '--workers', '1', '--rows-per-batch', '100')), runCli(explain('two.json', '--workers', '2', '--rows-per-batch', '100'))]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).toContain('explaining 3 batches of up to 100 rows in 2 worker threads');
    expect(one.stderr).not.toContain('worker threads');
    expect(readFileSync(join(dir, 'two.json'), 'utf8')).toBe(readFileSync(join(dir, 'one.json'), 'utf8'));
  });

  it.each([
    ['explain', '0'],
    ['score', '-1'],
    ['extract', '1.5'],
    ['explain', '100000'],
  ])('%s --workers %s: one line naming --workers, exit 2', async (cmd, value) => {
    const args =
      cmd === 'explain'
        ? explain('bad.json', '--workers', value)
        : cmd === 'score'
          ? ['score', '--model', join(dir, 'model'), '--data', join(dir, 'data.csv'), '--rules', join(dir, 'none.json'), '--workers', value]
          : ['extract', '--model', join(dir, 'model'), '--data', join(dir, 'data.csv'), '--method', 'cart', '--workers', value, '--out', join(dir, 'bad.json')];
    await rejects(args, '--workers', new RegExp(`expected an integer from 1 to 256 \\(1: no worker threads\\), got ${value}$`), 'bad.json');
  });

  it('--queue: a bad URL, an unreachable Redis; --rows-per-batch 0; worker --concurrency 0', async () => {
    await rejects(explain('q.json', '--queue', 'http://127.0.0.1:6379'), '--queue', /unsupported scheme "http"/, 'q.json');
    const port = await freePort();
    await rejects(explain('q.json', '--queue', `redis://:hunter2@127.0.0.1:${port}/0`, '--queue-timeout', '2'), '--queue', new RegExp(`cannot reach Redis at 127\\.0\\.0\\.1:${port}: connection refused`), 'q.json');
    await rejects(explain('q.json', '--rows-per-batch', '0'), '--rows-per-batch', /expected an integer from 1/, 'q.json');
    await rejects(['worker', '--queue', 'redis://127.0.0.1:1/0', '--concurrency', '0'], '--concurrency', /expected an integer from 1 to 256/);
  });
});
