import { describe, expect, it } from 'vitest';
import { createRng, measureFaithfulness, sensitivitySizes } from '../../src/index.js';
import { functionModel, gaussianData } from '../local/helpers.js';

const d = 10;
const W = [3, -2, 1.5, 1, -0.8, 0.6, 0.4, -0.3, 0.2, 0.1];
const data = gaussianData(50, d, 3);
const linear = functionModel(data.schema.features, (r) => [W.reduce((s, w, j) => s + w * (r[j] as number), 1)], { task: 'regression' });
const baseline = Array.from({ length: d }, () => 0);
/** The exact attributions of a linear model against a baseline: w_j (x_j − b_j). */
const exact = (row: number[]) => row.map((x, j) => W[j] * (x - baseline[j]));

describe('measureFaithfulness', () => {
  it('measures Sensitivity-n at 1, 2 and ceil(d/4)', () => {
    expect(sensitivitySizes(10)).toEqual([1, 2, 3]);
    expect(sensitivitySizes(4)).toEqual([1, 2]);
    expect(sensitivitySizes(1)).toEqual([1]);
  });

  it('scores exact attributions of a linear model 1 and shuffled ones near 0', async () => {
    const rows = data.rows.slice(0, 10) as number[][];
    const rng = createRng(9);
    const items = rows.map((row, i) => ({ row, rowId: i, output: 0, attributions: exact(row) }));
    const shuffled = rows.map((row, i) => ({ row, rowId: i, output: 0, attributions: rng.shuffle(exact(row)) }));
    const good = await measureFaithfulness(linear, items, baseline, { seed: 1, subsets: 64 });
    const bad = await measureFaithfulness(linear, shuffled, baseline, { seed: 1, subsets: 64 });
    for (const f of good) for (const s of f.sensitivityN) expect(s.correlation).toBeCloseTo(1, 9);
    const meanAbs = (fs: typeof bad, n: number) => fs.reduce((a, f) => a + Math.abs(f.sensitivityN.find((s) => s.n === n)!.correlation ?? 0), 0) / fs.length;
    // Shuffled attributions keep their values but lose their columns: Sensitivity-1 near 0.
    expect(meanAbs(bad, 1)).toBeLessThan(0.35);
  });

  it('finds that a reversed ranking removes the evidence slower than chance on the deletion curve', async () => {
    // Rows where every column pushes the output up: removing the strongest first makes it fall fastest.
    const rows = (data.rows.slice(0, 8) as number[][]).map((r) => r.map((x, j) => Math.sign(W[j]) * (Math.abs(x) + 0.1)));
    const good = await measureFaithfulness(linear, rows.map((row, i) => ({ row, rowId: i, output: 0, attributions: exact(row) })), baseline, { seed: 2 });
    const reversed = await measureFaithfulness(linear, rows.map((row, i) => ({ row, rowId: i, output: 0, attributions: exact(row).map((a) => 1 / a) })), baseline, { seed: 2 });
    for (const f of good) {
      expect(f.deletion!.steps).toBe(d);
      expect(f.deletion!.auc).toBeLessThan(f.deletion!.randomAuc);
      expect(f.deletion!.normalized!).toBeLessThan(0);
    }
    for (const f of reversed) expect(f.deletion!.normalized!).toBeGreaterThan(0);
  });

  it('gives a row the same scores whichever rows are scored with it, and batches model calls', async () => {
    const rows = data.rows.slice(0, 4) as number[][];
    const items = rows.map((row, i) => ({ row, rowId: 10 + i, output: 0, attributions: exact(row) }));
    linear.calls.length = 0;
    const all = await measureFaithfulness(linear, items, baseline, { seed: 5, subsets: 8, randomOrders: 2 });
    // One row costs 1 + 3 sizes x 8 subsets + 10 x (1 + 2) deletion steps = 55 rows; all four go in one call.
    expect(linear.calls).toEqual([4 * 55]);
    const alone = await measureFaithfulness(linear, [items[2]], baseline, { seed: 5, subsets: 8, randomOrders: 2 });
    expect(alone[0]).toEqual(all[2]);
    const other = await measureFaithfulness(linear, [items[2]], baseline, { seed: 6, subsets: 8, randomOrders: 2 });
    expect(other[0].deletion!.randomAuc).not.toBe(all[2].deletion!.randomAuc);
  });

  it('reports a correlation it cannot compute as null', async () => {
    const flat = functionModel(data.schema.features, () => [0.5], { task: 'regression' });
    const [f] = await measureFaithfulness(flat, [{ row: data.rows[0], rowId: 0, output: 0, attributions: new Array(d).fill(0) }], baseline, { seed: 1, subsets: 8 });
    expect(f.sensitivityN.every((s) => s.correlation === null)).toBe(true);
    expect(f.deletion!.normalized).toBeNull();
  });
});
