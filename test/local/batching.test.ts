/**
 * How a run is cut into batches changes nothing in its file: every registered method explains each
 * row on its own and counts only what each row cost, so one batch, batches of 5 and batches of 1
 * give the same bytes (the guarantee that lets worker threads and queue workers share a run).
 */
import { describe, expect, it } from 'vitest';
import { explainRows, exportExplanations, localExplainers } from '../../src/index.js';
import { useScaleFixture } from '../scale/fixture.js';

const fx = useScaleFixture(200);

/** Cheap options per method (defaults where they are already cheap). */
const cheap: Record<string, Record<string, unknown>> = {
  lime: { samples: 200, fidelitySamples: 20 },
  anchors: { coverageSamples: 200, batchSize: 50 },
  shap: { samples: 40 },
  'integrated-gradients': { steps: 8 },
  smoothgrad: { samples: 8 },
};

describe('batches', () => {
  it('every method writes the same bytes with one batch, batches of 5 and batches of 1', async () => {
    const rowIds = [3, 17, 42, 64, 99, 120, 150, 199];
    const rows = rowIds.map((i) => fx.data.rows[i]);
    const methods = Object.keys(localExplainers);
    expect(methods.length).toBeGreaterThanOrEqual(11);
    for (const method of methods) {
      const run = (rowsPerBatch: number) =>
        explainRows(method, { model: fx.model, data: fx.data, rows, rowIds, seed: 3, faithfulness: 4, rowsPerBatch }, cheap[method] ?? {}).then(exportExplanations);
      const whole = await run(rows.length);
      expect(await run(5), method).toBe(whole);
      expect(await run(1), method).toBe(whole);
      expect(JSON.parse(whole).provenance.samples, method).toBeGreaterThan(0);
    }
  }, 120_000);
});
