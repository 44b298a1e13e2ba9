import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { NETWORK, servingHandler, startServer, writeKerasModel, expectInputError, useLabelledCsv } from './fixtures.js';

const tmp = useLabelledCsv();

describe('distill predict: models without encoder, and bad model files exit 2 with one line', () => {
  it('a model without encoder reads the numeric columns; a TF-Serving endpoint gives the same table', async () => {
    await writeKerasModel(join(tmp.dir(), 'ok'));
    const a = await runCli(['predict', '--model', join(tmp.dir(), 'ok'), '--data', tmp.csv()]);
    expect(a.code).toBe(0);
    expect(a.stdout.split('\n')[0]).toBe('no,yes,predicted');
    expect(a.stdout.split('\n')[1]).toMatch(/^0\.98015\d*,0\.01984\d*,no$/);
    const srv = await startServer(servingHandler(NETWORK));
    try {
      const b = await runCli(['predict', '--model', srv.url, '--data', tmp.csv()]);
      expect(b.code).toBe(0);
      const rows = (s: string) => s.trim().split('\n').map((l) => l.split(','));
      rows(b.stdout).forEach((r, i) => (i === 0 ? expect(r).toEqual(rows(a.stdout)[0]) : r.slice(0, 2).forEach((v, j) => expect(Math.abs(Number(v) - Number(rows(a.stdout)[i][j]))).toBeLessThan(1e-5))));
    } finally {
      await srv.close();
    }
  }, 120_000);

  it('truncated shard, width mismatch, NaN output, bad training flags', async () => {
    await writeKerasModel(join(tmp.dir(), 'trunc'));
    await writeFile(join(tmp.dir(), 'trunc', 'group1-shard2of2.bin'), new Uint8Array(8));
    await writeKerasModel(join(tmp.dir(), 'narrow'));
    await writeKerasModel(join(tmp.dir(), 'nan'), { b2: [NaN, 0] });
    // independent processes: run them side by side
    const [trunc, width, nan, split, hidden] = await Promise.all([
      runCli(['predict', '--model', join(tmp.dir(), 'trunc'), '--data', tmp.csv()]),
      runCli(['predict', '--model', join(tmp.dir(), 'narrow'), '--data', 'builtin:iris', '--target', 'species']),
      runCli(['predict', '--model', join(tmp.dir(), 'nan'), '--data', tmp.csv()]),
      runCli(['train', '--data', 'builtin:iris', '--out', join(tmp.dir(), 'never'), '--validation-split', '1']),
      runCli(['train', '--data', 'builtin:iris', '--out', join(tmp.dir(), 'never'), '--hidden', '8,x']),
    ]);
    expectInputError(trunc, /^distill: .*trunc\/group1-shard2of2\.bin: weight shard truncated/);
    expectInputError(width, /^distill: .*narrow\/model\.json: width mismatch: the data\/encoder gives 4 input values per row, the model takes 3\n$/);
    expectInputError(nan, /^distill: .*nan\/model\.json: model output is NaN for input row 1/);
    expectInputError(split, /^distill: --validation-split: expected a number in \[0, 1\), got 1\n$/);
    expectInputError(hidden, /^distill: --hidden: expected comma-separated positive integers such as 32,16, got "8,x"\n$/);
  }, 120_000);
});
