import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { INPUTS, NETWORK, closedPortUrl, servingHandler, startServer, writeKerasModel } from './fixtures.js';

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

describe('distill predict: models without encoder, and bad model files exit 2 with one line', () => {
  it('a model without encoder reads the numeric columns; a TF-Serving endpoint gives the same table', async () => {
    await writeKerasModel(join(dir, 'ok'));
    const a = await runCli(['predict', '--model', join(dir, 'ok'), '--data', csv]);
    expect(a.code).toBe(0);
    expect(a.stdout.split('\n')[0]).toBe('no,yes,predicted');
    expect(a.stdout.split('\n')[1]).toMatch(/^0\.98015\d*,0\.01984\d*,no$/);
    const srv = await startServer(servingHandler(NETWORK));
    try {
      const b = await runCli(['predict', '--model', srv.url, '--data', csv]);
      expect(b.code).toBe(0);
      const rows = (s: string) => s.trim().split('\n').map((l) => l.split(','));
      rows(b.stdout).forEach((r, i) => (i === 0 ? expect(r).toEqual(rows(a.stdout)[0]) : r.slice(0, 2).forEach((v, j) => expect(Math.abs(Number(v) - Number(rows(a.stdout)[i][j]))).toBeLessThan(1e-5))));
    } finally {
      await srv.close();
    }
  }, 120_000);

  it('truncated shard, width mismatch, NaN output, bad training flags', async () => {
    await writeKerasModel(join(dir, 'trunc'));
    await writeFile(join(dir, 'trunc', 'group1-shard2of2.bin'), new Uint8Array(8));
    await writeKerasModel(join(dir, 'narrow'));
    await writeKerasModel(join(dir, 'nan'), { b2: [NaN, 0] });
    // independent processes: run them side by side
    const [trunc, width, nan, split, hidden] = await Promise.all([
      runCli(['predict', '--model', join(dir, 'trunc'), '--data', csv]),
      runCli(['predict', '--model', join(dir, 'narrow'), '--data', 'builtin:iris', '--target', 'species']),
      runCli(['predict', '--model', join(dir, 'nan'), '--data', csv]),
      runCli(['train', '--data', 'builtin:iris', '--out', join(dir, 'never'), '--validation-split', '1']),
      runCli(['train', '--data', 'builtin:iris', '--out', join(dir, 'never'), '--hidden', '8,x']),
    ]);
    expectInputError(trunc, /^distill: .*trunc\/group1-shard2of2\.bin: weight shard truncated/);
    expectInputError(width, /^distill: .*narrow\/model\.json: width mismatch: the data\/encoder gives 4 input values per row, the model takes 3\n$/);
    expectInputError(nan, /^distill: .*nan\/model\.json: model output is NaN for input row 1/);
    expectInputError(split, /^distill: --validation-split: expected a number in \[0, 1\), got 1\n$/);
    expectInputError(hidden, /^distill: --hidden: expected comma-separated positive integers such as 32,16, got "8,x"\n$/);
  }, 120_000);
});
