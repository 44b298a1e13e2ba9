import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { INPUTS, closedPortUrl, startServer } from './fixtures.js';

let dir: string;
let csv: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sd-cli-errors-'));
  csv = join(dir, 'three.csv');
  await writeFile(csv, 'a,b,c,label\n' + INPUTS.map((r, i) => [...r, i % 2 ? 'yes' : 'no'].join(',')).join('\n') + '\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Exit code 2 and exactly one line on stderr matching `message`. */
function expectInputError(r: { code: number; stderr: string }, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.code).toBe(2);
}

describe('distill predict: bad endpoints exit 2 with one line', () => {
  it('endpoint refused, timing out, answering garbage, 500 or the wrong shape', async () => {
    const refused = await closedPortUrl();
    const cases: [import('./fixtures.js').Handler | null, string[], RegExp][] = [
      [null, ['--retries', '0'], /^distill: http:\/\/127\.0\.0\.1:\d+\/v1\/models\/test:predict: model endpoint: connection refused/],
      [() => {}, ['--timeout', '0.3', '--retries', '0'], /model endpoint: no answer within 300 ms \(timeout\)/],
      [(_b, _q, res) => res.end('<html>oops</html>'), [], /model endpoint: malformed reply \(not JSON\): "<html>oops<\/html>"/],
      [(_b, _q, res) => (res.writeHead(500), res.end('boom')), ['--retries', '1'], /model endpoint: HTTP 500 Internal Server Error: boom \(after 2 attempts\)/],
      [(_b, _q, res) => res.end('{"predictions": [[1, 2], [3, 4]]}'), [], /model endpoint: wrong shape: sent 1 instances, got 2 predictions/],
    ];
    // independent processes, one server each: run them side by side
    const servers = await Promise.all(cases.map(([handler]) => (handler ? startServer(handler) : null)));
    try {
      const results = await Promise.all(
        cases.map(([, flags], i) => runCli(['predict', '--model', servers[i]?.url ?? refused, '--data', csv, ...flags])),
      );
      results.forEach((r, i) => expectInputError(r, cases[i][2]));
    } finally {
      await Promise.all(servers.map((srv) => srv?.close()));
    }
  }, 120_000);
});
