/**
 * `distill train` says when the network it hands back has learnt nothing (one class for every
 * training row) or kept the weights of one of the first epochs; the M-of-N guide's recipe trains a
 * network that does neither and reads back as the guide shows.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingWarnings } from '../../src/model/trainMlp.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sd-train-warn-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('training warnings', () => {
  it('names a constant network and weights kept from the first epochs', () => {
    const w = trainingWarnings({ epochs: 33, bestEpoch: 3, maxEpochs: 200, train: { rows: 346, loss: 0.64, accuracy: 0.67, predicted: [346, 0] }, classes: ['0', '1'] });
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/^the network predicts class 0 for every training row \(accuracy 0\.67/);
    expect(w[1]).toMatch(/^early stopping kept the weights of epoch 3 of 33/);
    expect(trainingWarnings({ epochs: 80, bestEpoch: 50, maxEpochs: 200, train: { rows: 10, loss: 0.1, accuracy: 0.9, predicted: [4, 6] }, classes: ['0', '1'] })).toEqual([]);
    expect(trainingWarnings({ epochs: 3, bestEpoch: 3, maxEpochs: 3, train: { rows: 10, loss: 0.1, accuracy: 0.9, predicted: [4, 6] }, classes: ['0', '1'] })).toEqual([]);
  });

  it('warns on stderr for a 2-unit sigmoid MONK-2 network with the defaults, and records the warnings', async () => {
    const out = join(dir, 'constant');
    const r = await runCli(['train', '--data', 'builtin:monk2', '--hidden', '2', '--activation', 'sigmoid', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^distill: warning: the network predicts class 0 for every training row/m);
    expect(r.stderr).toMatch(/^distill: warning: early stopping kept the weights of epoch \d of \d+/m);
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.warnings).toHaveLength(2);
  }, 120_000);

  it("reproduces the M-of-N guide's recipe: no warning, and the rule the guide shows", async () => {
    const out = join(dir, 'monk2');
    const doc = await readFile(join(import.meta.dirname, '..', '..', 'docs', 'methods', 'mofn.md'), 'utf8');
    const train = doc.match(/^npx distill (train --data builtin:monk2 .*)$/m)![1].split(/\s+/).map((w) => (w === 'monk2-model' ? out : w));
    const extract = doc.match(/^npx distill (extract --model monk2-model .*)$/m)![1].split(/\s+/).map((w) => (w === 'monk2-model' ? out : w));
    const t = await runCli(train);
    expect(t.code).toBe(0);
    expect(t.stderr).not.toMatch(/warning/);
    const e = await runCli([...extract, '--quiet']);
    expect(e.code).toBe(0);
    // the rules the guide shows (statistics aside) are the rules printed
    const rules = (text: string) => text.split('\n').filter((l) => /^(IF|ELSE) /.test(l)).map((l) => l.replace(/\s+\[.*\]$/, ''));
    const shown = rules(doc.match(/```\n(Decision list[\s\S]*?)```/)![1]);
    expect(shown.length).toBeGreaterThan(1);
    expect(rules(e.stdout)).toEqual(shown);
  }, 120_000);
});
