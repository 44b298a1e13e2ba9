/**
 * How a run is cut into batches changes nothing in its file: every registered method explains each
 * row on its own and counts only what each row cost, so one batch, batches of 5 and batches of 1
 * give the same bytes (the guarantee that lets worker threads and queue workers share a run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainRows, exportExplanations, loadDataset, loadModel, localExplainers, type Dataset, type TabularModel } from '../../src/index.js';
import { writeScaleFixture } from '../scale/fixture.js';

let dir: string;
let model: TabularModel;
let data: Dataset;
const epoch = process.env.SOURCE_DATE_EPOCH;

/** Cheap options per method (defaults where they are already cheap). */
const cheap: Record<string, Record<string, unknown>> = {
  lime: { samples: 200, fidelitySamples: 20 },
  anchors: { coverageSamples: 200, batchSize: 50 },
  shap: { samples: 40 },
  'integrated-gradients': { steps: 8 },
  smoothgrad: { samples: 8 },
};

beforeAll(async () => {
  process.env.SOURCE_DATE_EPOCH = '1767225600';
  dir = mkdtempSync(join(tmpdir(), 'distill-batching-'));
  writeScaleFixture(dir, 200);
  data = await loadDataset(join(dir, 'data.csv'), { target: 'y' });
  model = await loadModel(join(dir, 'model'));
});
afterAll(async () => {
  if (epoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
  else process.env.SOURCE_DATE_EPOCH = epoch;
  await model?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('batches', () => {
  it('every method writes the same bytes with one batch, batches of 5 and batches of 1', async () => {
    const rowIds = [3, 17, 42, 64, 99, 120, 150, 199];
    const rows = rowIds.map((i) => data.rows[i]);
    const methods = Object.keys(localExplainers);
    expect(methods.length).toBeGreaterThanOrEqual(11);
    for (const method of methods) {
      const run = (rowsPerBatch: number) =>
        explainRows(method, { model, data, rows, rowIds, seed: 3, faithfulness: 4, rowsPerBatch }, cheap[method] ?? {}).then(exportExplanations);
      const whole = await run(rows.length);
      expect(await run(5), method).toBe(whole);
      expect(await run(1), method).toBe(whole);
      expect(JSON.parse(whole).provenance.samples, method).toBeGreaterThan(0);
    }
  }, 120_000);
});
