import { describe, expect, it } from 'vitest';
import {
  createRng,
  explainLime,
  exportExplanations,
  ExplanationFile,
  fitLimeTabular,
  importExplanations,
  InputError,
  normalCdf,
  prepareInstance,
  renderExplanations,
  sampleNeighbourhood,
  type Dataset,
} from '../../src/index.js';
import { functionModel, gaussianData, sigmoid } from './helpers.js';

const TRUE = [3, -2, 1.2, 0, 0.5];
const data = gaussianData(1000, 5, 7);
const logistic = functionModel(
  data.schema.features,
  (r) => {
    const z = TRUE.reduce((s, w, j) => s + w * (r[j] as number), 0);
    const p = sigmoid(z);
    return [1 - p, p];
  },
  { task: 'classification', classes: ['no', 'yes'] },
);
const rank = (ws: number[]) => ws.map((w, j) => ({ w, j })).sort((a, b) => Math.abs(b.w) - Math.abs(a.w)).map((e) => `x${e.j}`);

describe('explainLime on a known logistic black box', () => {
  const row = [0.3, -0.2, 0.1, 0.5, -0.4];

  it('without discretisation ranks features by their true weights with the right signs', async () => {
    const file = await explainLime(logistic, data, [row], { discretizer: 'none', labels: ['yes'], numFeatures: 5, seed: 3 });
    const e = file.explanations[0];
    expect(e.class).toBe('yes');
    expect(e.conditions!.map((f) => f.feature)).toEqual(rank(TRUE));
    for (const f of e.conditions!) {
      const w = TRUE[Number(f.feature.slice(1))];
      if (w !== 0) expect(Math.sign(f.weight)).toBe(Math.sign(w));
      expect(f.condition).toBeNull();
    }
    expect(e.prediction).toBeCloseTo(sigmoid(TRUE.reduce((s, w, j) => s + w * row[j], 0)), 5);
    expect(e.surrogate!.r2).toBeGreaterThan(0.5);
    expect(e.surrogate!.fidelity!.samples).toBe(500);
    expect(e.surrogate!.fidelity!.agreement).toBeGreaterThan(0.8);
  });

  it('with quartile discretisation finds the same leading features', async () => {
    const inst = [1.2, -1.1, 0.9, 0.1, 0.7];
    const file = await explainLime(logistic, data, [inst], { labels: ['yes'], numFeatures: 5, seed: 3 });
    const e = file.explanations[0];
    expect(e.conditions!.slice(0, 3).map((f) => f.feature)).toEqual(['x0', 'x1', 'x2']);
    // x0 is in its top quartile (positive weight for "yes"), x1 in its bottom quartile (raising "yes" too)
    expect(e.conditions![0].condition).toMatchObject({ type: 'gt', feature: 'x0' });
    expect(e.conditions![0].weight).toBeGreaterThan(0);
    expect(e.conditions![1].condition).toMatchObject({ type: 'le', feature: 'x1' });
    expect(e.conditions![1].weight).toBeGreaterThan(0);
    expect(e.conditions![0].text).toMatch(/^x0 > 0\.\d\d$/);
  });

  it('explains the top k labels and uses the predicted class by default', async () => {
    const one = await explainLime(logistic, data, [[2, 0, 0, 0, 0]], { samples: 500, fidelitySamples: 0 });
    expect(one.explanations.map((e) => e.class)).toEqual(['yes']);
    expect(one.explanations[0].surrogate!.fidelity).toBeNull();
    const two = await explainLime(logistic, data, [[2, 0, 0, 0, 0]], { samples: 500, topLabels: 2 });
    expect(two.explanations.map((e) => e.class)).toEqual(['yes', 'no']);
    // the two probabilities sum to 1, so the weights of the two labels are opposite
    expect(two.explanations[1].conditions![0].weight).toBeCloseTo(-two.explanations[0].conditions!.find((f) => f.feature === two.explanations[1].conditions![0].feature)!.weight, 6);
  });
});

describe('explainLime on regression', () => {
  it('recovers the weights of a linear black box (per training standard deviation)', async () => {
    const W = [3, -2, 0.5, 0, 1];
    const model = functionModel(data.schema.features, (r) => [W.reduce((s, w, j) => s + w * (r[j] as number), 10)], { task: 'regression' });
    const file = await explainLime(model, data, [data.rows[0]], { discretizer: 'none', numFeatures: 5, seed: 1, featureSelection: 'none' });
    const e = file.explanations[0];
    expect(e.class).toBeNull();
    expect(e.conditions!.map((f) => f.feature)).toEqual(['x0', 'x1', 'x4', 'x2', 'x3']);
    const std = (j: number) => {
      const xs = data.rows.map((r) => r[j] as number);
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
    };
    for (const f of e.conditions!) {
      const j = Number(f.feature.slice(1));
      expect(f.weight).toBeCloseTo(W[j] * std(j), 2);
    }
    expect(e.surrogate!.r2).toBeCloseTo(1, 4);
    expect(e.surrogate!.fidelity!.r2).toBeCloseTo(1, 4);
    expect(e.surrogate!.fidelity!.agreement).toBeNull();
    expect(e.surrogate!.localPrediction).toBeCloseTo(e.prediction, 2);
  });
});

describe('reproducibility, batching and JSON', () => {
  const rows = data.rows.slice(0, 6);

  it('gives byte-identical JSON for the same seed and different JSON for another', async () => {
    const env = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    try {
      const a = exportExplanations(await explainLime(logistic, data, rows, { seed: 5, samples: 800 }));
      const b = exportExplanations(await explainLime(logistic, data, rows, { seed: 5, samples: 800 }));
      const c = exportExplanations(await explainLime(logistic, data, rows, { seed: 6, samples: 800 }));
      expect(a).toBe(b);
      expect(c).not.toBe(a);
      // round trip through the schema
      expect(exportExplanations(importExplanations(a, 'x.json'))).toBe(a);
    } finally {
      if (env === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = env;
    }
  });

  it('batches model queries across rows and gives each row the same result as alone', async () => {
    const model = functionModel(logistic.schema.features, (r) => [0.5 - 0.1 * (r[0] as number), 0.5 + 0.1 * (r[0] as number)], { task: 'classification' });
    const progress: [number, number][] = [];
    const batch = await explainLime(model, data, rows, { samples: 300, fidelitySamples: 100, rowIds: [0, 1, 2, 3, 4, 5], batchRows: 1200, faithfulness: 0 }, (d, t) => progress.push([d, t]));
    expect(model.calls).toEqual([6, 1200, 1200]); // the rows' own outputs, then 3 rows of 300 + 100 per call
    expect(progress).toEqual([[0, 6], [3, 6], [6, 6]]);
    const alone = await explainLime(model, data, [rows[4]], { samples: 300, fidelitySamples: 100, rowIds: [4], faithfulness: 0 });
    expect(alone.explanations[0]).toEqual(batch.explanations[4]);
  });

  it('reports stability across seeds', async () => {
    const file = await explainLime(logistic, data, [rows[0]], { samples: 1000, numFeatures: 2, stability: 4, discretizer: 'none', labels: [1] });
    const s = file.explanations[0].stability!;
    expect(s.runs).toBe(4);
    expect(s.jaccard).toBe(1); // x0 and x1 dominate in every run
    expect(s.features.map((f) => f.feature)).toEqual(['x0', 'x1']);
    expect(s.features.every((f) => f.selected === 1 && f.signAgreement === 1)).toBe(true);
    expect(ExplanationFile.safeParse(file).success).toBe(true);
    expect(renderExplanations(file)).toContain('stability Jaccard 1.000 over 4 seeds');
  });

  it('renders a ranked table', async () => {
    const file = await explainLime(logistic, data, [[1.2, -1.1, 0.9, 0.1, 0.7]], { labels: ['yes'], numFeatures: 3, seed: 3 });
    const text = renderExplanations(file);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^row 0: lime, class yes \(model 0\.\d{3}, local \d\.\d{3}\), R² /);
    expect(lines[2]).toMatch(/^ {2}x0 > 0\.\d\d\s+\+\d\.\d{4} {2}#{24}$/);
    expect(lines[4]).toMatch(/^ {2}0\.\d\d < x2|^ {2}x2 > /);
  });

  it('rejects bad options with a message naming the option', async () => {
    await expect(explainLime(logistic, data, [rows[0]], { samples: 1 })).rejects.toThrow(InputError);
    await expect(explainLime(logistic, data, [rows[0]], { samples: 1 })).rejects.toThrow('--samples: expected an integer >= 2, got 1');
    await expect(explainLime(logistic, data, [rows[0]], { labels: ['maybe'] })).rejects.toThrow('--class: unknown class "maybe" (classes: no, yes)');
    await expect(explainLime(logistic, data, [[1, 2]])).rejects.toThrow('row 0 has 2 values, expected 5');
  });
});

describe('categorical features and sampling options', () => {
  const rng = createRng(4);
  const islands = ['Biscoe', 'Dream', 'Torgersen'];
  const mixed: Dataset = {
    source: 'mixed',
    schema: { features: [{ name: 'island', type: 'categorical', categories: islands }, { name: 'mass', type: 'numeric' }] },
    rows: Array.from({ length: 600 }, () => [islands[rng.int(3)], 4000 + 500 * rng.normal()]),
    missing: 0,
  };
  const model = functionModel(
    mixed.schema.features,
    (r) => {
      const p = sigmoid(3 * (r[0] === 'Biscoe' ? 1 : -1) + (((r[1] as number) - 4000) / 500) * 0.5);
      return [1 - p, p];
    },
    { task: 'classification', classes: ['small', 'large'] },
  );

  it('explains a category as "same value as the instance" with an eq condition', async () => {
    const file = await explainLime(model, mixed, [['Biscoe', 4100]], { labels: ['large'], seed: 2 });
    const e = file.explanations[0];
    expect(e.conditions![0]).toMatchObject({ feature: 'island', condition: { type: 'eq', feature: 'island', value: 'Biscoe' }, text: 'island = Biscoe', value: 'Biscoe' });
    expect(e.conditions![0].weight).toBeGreaterThan(0.3);
  });

  it('imputes missing values for sampling and says so, in the conditions and their text', async () => {
    const file = await explainLime(model, mixed, [[null, 4100]], { seed: 2, samples: 500, numFeatures: 2 });
    const e = file.explanations[0];
    expect(e.missing).toEqual(['island']);
    expect(e.instance).toEqual([null, 4100]);
    // the island the neighbours were compared with is the imputed (most frequent) one, not the row's
    const island = e.conditions!.find((c) => c.feature === 'island')!;
    expect(island.value).toBeNull();
    expect(island.text).toMatch(/^island is missing \(imputed: island = (Biscoe|Dream|Torgersen)\)$/);
    const text = renderExplanations(file);
    expect(text).toContain('(missing in the row: island)');
    expect(text).toMatch(/\n {2}island is missing \(imputed: island = \w+\) +[-+]\d/);
    expect(text).not.toMatch(/\n {2}island = /);
    // a missing number reads as missing too, with and without bins
    const binned = await explainLime(model, mixed, [['Dream', null]], { seed: 2, samples: 300, numFeatures: 2 });
    expect(binned.explanations[0].conditions!.find((c) => c.feature === 'mass')).toMatchObject({ value: null, text: expect.stringMatching(/^mass is missing \(imputed: .*mass.*\)$/) });
    const plain = await explainLime(model, mixed, [['Dream', null]], { seed: 2, samples: 300, numFeatures: 2, discretizer: 'none' });
    expect(plain.explanations[0].conditions!.find((c) => c.feature === 'mass')).toMatchObject({ value: null, text: expect.stringMatching(/^mass is missing \(imputed: the mean \d+\)$/) });
  });

  it('Latin hypercube columns put one draw in each probability stratum', () => {
    const tab = fitLimeTabular(mixed, 'none');
    const inst = prepareInstance(tab, ['Dream', 3000]);
    const s = sampleNeighbourhood(tab, inst, 101, createRng(1), { sampling: 'lhs', sampleAround: 'instance' });
    const strata = new Set<number>();
    for (let i = 1; i < 101; i++) strata.add(Math.floor(normalCdf(((s.rows[i][1] as number) - 3000) / tab.scales[1]) * 100));
    expect(strata.size).toBe(100);
    expect(s.rows[0]).toEqual(['Dream', 3000]);
    expect(s.distances[0]).toBe(0);
  });

  it('accepts a custom kernel', async () => {
    const flat = await explainLime(model, mixed, [['Dream', 4100]], { seed: 2, samples: 400, kernel: () => 1, fidelitySamples: 0 });
    expect((flat.provenance.options.lime as { kernel: string }).kernel).toBe('custom');
    expect(flat.explanations[0].conditions!).toHaveLength(2);
  });
});
