import { describe, expect, it } from 'vitest';
import { createRng, fitMarginals, fitNearby, fitTrainingStats, loadDataset, rowsOf, sampleGaussian, sampleTraining, tableDataset, tableOf, trainingRows, trainingTable } from '../../src/index.js';

function colMean(rows: unknown[][], j: number): number {
  return rows.reduce((s, r) => s + (r[j] as number), 0) / rows.length;
}
function share(rows: unknown[][], j: number, v: string): number {
  return rows.filter((r) => r[j] === v).length / rows.length;
}

describe('training statistics and Gaussian perturbation', () => {
  it('computes means, sample sds, ranges and frequencies', async () => {
    const iris = await loadDataset('builtin:iris');
    const s = fitTrainingStats(iris).features[0];
    expect(s.type).toBe('numeric');
    if (s.type === 'numeric') {
      expect(s.mean).toBeCloseTo(5.843333, 5);
      expect(s.std).toBeCloseTo(0.8280661, 6);
      expect([s.min, s.max]).toEqual([4.3, 7.9]);
    }
    const pen = fitTrainingStats(await loadDataset('builtin:penguins'));
    expect(pen.features[0]).toEqual({ name: 'island', type: 'categorical', categories: ['Biscoe', 'Dream', 'Torgersen'], frequencies: [168 / 344, 124 / 344, 52 / 344] });
  });

  it('samples around the mean or an instance; categorical by frequency; seeded', async () => {
    const pen = await loadDataset('builtin:penguins');
    const stats = fitTrainingStats(pen);
    const rows = sampleGaussian(stats, 20000, createRng(5));
    expect(rows.every((r) => r.every((v) => v !== null))).toBe(true);
    const mass = stats.features[4];
    if (mass.type !== 'numeric') throw new Error('numeric expected');
    expect(Math.abs(colMean(rows, 4) - mass.mean)).toBeLessThan(4 * (mass.std / Math.sqrt(20000)));
    expect(share(rows, 0, 'Biscoe')).toBeCloseTo(168 / 344, 1.5);
    const around = sampleGaussian(stats, 20000, createRng(6), { around: pen.rows[0] });
    expect(colMean(around, 4)).toBeCloseTo(3750, -1.5);
    expect(sampleGaussian(stats, 50, createRng(9))).toEqual(sampleGaussian(stats, 50, createRng(9)));
    expect(sampleGaussian(stats, 50, createRng(9))).not.toEqual(sampleGaussian(stats, 50, createRng(10)));
  });

  it('returns complete training rows, seeded', async () => {
    const pen = await loadDataset('builtin:penguins');
    const rows = trainingRows(pen, createRng(1));
    expect(rows).toHaveLength(344);
    expect(rows.every((r) => r.every((v) => v !== null))).toBe(true);
    expect(rows[0]).toEqual(pen.rows[0]);
    expect(trainingRows(pen, createRng(1))).toEqual(rows);
    const s = sampleTraining(pen, 500, createRng(2));
    expect(s).toHaveLength(500);
    expect(s.every((r) => r.every((v) => v !== null))).toBe(true);
    const iris = await loadDataset('builtin:iris');
    const t = sampleTraining(iris, 150, createRng(2)).map((r) => JSON.stringify(r)).sort();
    expect(t).toEqual(iris.rows.map((r) => JSON.stringify(r)).sort());
  });

  it('reads data held column by column as it reads row arrays: statistics, marginals, hot-deck filling, the neighbourhood sampler', async () => {
    const pen = await loadDataset('builtin:penguins');
    const held = tableDataset(pen.source, pen.schema, tableOf(pen.rows, pen.schema.features), pen.missing);
    Object.defineProperty(held, 'rows', {
      get() {
        throw new Error('the rows of a dataset held column by column were made');
      },
    });
    expect(fitTrainingStats(held)).toEqual(fitTrainingStats(pen));
    expect(fitMarginals(held, { seed: 4, maxPoints: 100 })).toEqual(fitMarginals(pen, { seed: 4, maxPoints: 100 }));
    const filled = trainingTable(held.table, createRng(5));
    expect(rowsOf(filled)).toEqual(trainingRows(pen, createRng(5)));
    expect(held.table.columns[2]).toEqual(tableOf(pen.rows, pen.schema.features).columns[2]); // the source is not filled
    const a = fitNearby(filled, pen.schema.features, createRng(3), { maxRows: 100 });
    const b = fitNearby(trainingRows(pen, createRng(5)), pen.schema.features, createRng(3), { maxRows: 100 });
    expect(a).toEqual(b);
  });
});
