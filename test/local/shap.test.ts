import { describe, expect, it, vi } from 'vitest';
import {
  createRng,
  createTabularModel,
  explainRows,
  httpBlackBox,
  identityEncoder,
  exportExplanations,
  fitEncoder,
  functionBlackBox,
  measureFaithfulness,
  type Dataset,
  type ExplanationFile,
  type Row,
} from '../../src/index.js';
import { functionModel, gaussianData, sigmoid } from './helpers.js';
import { forward, NETWORK, servingHandler, startServer } from '../model/fixtures.js';

/** Efficiency, checked on every SHAP explanation: Σ attributions = prediction − base. */
function expectEfficient(file: ExplanationFile): void {
  for (const e of file.explanations) {
    if (e.method !== 'shap') continue;
    const sum = e.attributions.reduce((s, a) => s + a.attribution, 0);
    expect(Math.abs(sum - (e.prediction - e.base!))).toBeLessThan(1e-6);
  }
}

/**
 * Interventional Shapley values by brute force over all coalitions, written independently of the
 * method: v(S) = mean over the background of f(x on S, background elsewhere), then
 * φ_j = Σ_{S ∌ j} |S|! (d − |S| − 1)! / d! · (v(S ∪ {j}) − v(S)).
 */
function bruteForceShapley(f: (r: Row) => number, x: Row, background: Row[]): number[] {
  const d = x.length;
  const v = new Float64Array(1 << d);
  for (let s = 0; s < 1 << d; s++) {
    let sum = 0;
    for (const b of background) sum += f(b.map((bj, j) => ((s >> j) & 1 ? x[j] : bj)));
    v[s] = sum / background.length;
  }
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const phi = new Array<number>(d).fill(0);
  for (let j = 0; j < d; j++) {
    for (let s = 0; s < 1 << d; s++) {
      if ((s >> j) & 1) continue;
      let size = 0;
      for (let q = 0; q < d; q++) size += (s >> q) & 1;
      phi[j] += ((fact(size) * fact(d - size - 1)) / fact(d)) * (v[s | (1 << j)] - v[s]);
    }
  }
  return phi;
}

// A network with an interaction term: f = sigmoid(1.5·x0·x1 + 0.8·x2 − 0.6·x3 + 0.3·x4² + ...).
const d = 10;
const COEF = [0, 0, 0.8, -0.6, 0, 0.5, -0.4, 0.3, 0.2, -0.1];
const logit = (r: Row) => {
  const x = r as number[];
  let z = 1.5 * x[0] * x[1] + 0.3 * x[4] * x[4] - 0.2;
  for (let j = 2; j < d; j++) z += COEF[j] * x[j];
  return z;
};
const data = gaussianData(200, d, 5);
const net = functionModel(data.schema.features, (r) => {
  const p = sigmoid(logit(r));
  return [1 - p, p];
}, { task: 'classification', classes: ['no', 'yes'] });
const background: Dataset = { ...data, rows: data.rows.slice(100, 130) };
const rows = data.rows.slice(0, 3);

describe('shap', () => {
  it('equals the interventional Shapley values by brute force when every coalition fits (exact)', async () => {
    const file = await explainRows('shap', { model: net, data, rows, rowIds: [0, 1, 2], background, class: 'yes', faithfulness: 0 });
    expectEfficient(file);
    for (const [i, e] of file.explanations.entries()) {
      expect(e).toMatchObject({ method: 'shap', class: 'yes', exact: true });
      expect(e.attributions.map((a) => a.feature)).toEqual(data.schema.features.map((f) => f.name));
      const brute = bruteForceShapley((r) => sigmoid(logit(r)), rows[i], background.rows);
      e.attributions.forEach((a, j) => expect(Math.abs(a.attribution - brute[j])).toBeLessThan(1e-4));
      // base = E[f(background)] for the explained class
      const mean = background.rows.reduce((s, r) => s + sigmoid(logit(r)), 0) / background.rows.length;
      expect(e.base).toBeCloseTo(mean, 6);
    }
    expect(file.provenance.options).toMatchObject({ shap: { samples: 2068, background: 30 } });
  });

  it('estimates them within 0.02 from 500 sampled coalitions, seeded and row by row', async () => {
    const exact = await explainRows('shap', { model: net, data, rows, rowIds: [0, 1, 2], background, faithfulness: 0 });
    const sampled = await explainRows('shap', { model: net, data, rows, rowIds: [0, 1, 2], background, faithfulness: 0, seed: 3 }, { samples: 500 });
    expectEfficient(exact);
    expectEfficient(sampled);
    for (const [i, e] of sampled.explanations.entries()) {
      expect(e.exact).toBe(false);
      expect(e.notes).toEqual(['sampled 500 of 1,022 coalitions (seeded); the values are estimates']);
      e.attributions.forEach((a, j) => expect(Math.abs(a.attribution - exact.explanations[i].attributions[j].attribution)).toBeLessThan(0.02));
    }
    // A row alone gets the same bytes as in the batch; another seed draws other coalitions.
    const alone = await explainRows('shap', { model: net, data, rows: [rows[1]], rowIds: [1], background, faithfulness: 0, seed: 3 }, { samples: 500 });
    expect(JSON.stringify(alone.explanations[0])).toBe(JSON.stringify(sampled.explanations[1]));
    vi.stubEnv('SOURCE_DATE_EPOCH', '1767225600');
    const first = exportExplanations(await explainRows('shap', { model: net, data, rows, rowIds: [0, 1, 2], background, faithfulness: 0, seed: 3 }, { samples: 500 }));
    const again = await explainRows('shap', { model: net, data, rows, rowIds: [0, 1, 2], background, faithfulness: 0, seed: 3 }, { samples: 500 });
    expect(exportExplanations(again)).toBe(first);
    vi.unstubAllEnvs();
    const other = await explainRows('shap', { model: net, data, rows: [rows[1]], rowIds: [1], background, faithfulness: 0, seed: 4 }, { samples: 500 });
    expect(other.explanations[0].attributions).not.toEqual(alone.explanations[0].attributions);
    expectEfficient(alone);
    expectEfficient(other);
  });

  it('batches model calls across rows', async () => {
    net.calls.length = 0;
    expectEfficient(await explainRows('shap', { model: net, data, rows, rowIds: [0, 1, 2], background, faithfulness: 0 }, { batchRows: 1_000_000 }));
    // rows' outputs, the background's outputs, then every row's 1022 coalitions × 30 rows in one call
    expect(net.calls).toEqual([3, 30, 3 * 1022 * 30]);
  });

  it('treats a categorical column as one player, on raw rows and through an encoder alike', async () => {
    const rng = createRng(2);
    const islands = ['Biscoe', 'Dream', 'Torgersen'];
    const penguins: Dataset = {
      source: 'penguins-like',
      schema: {
        features: [
          { name: 'island', type: 'categorical', categories: islands },
          { name: 'bill', type: 'numeric' },
          { name: 'sex', type: 'categorical', categories: ['f', 'm'] },
        ],
        target: { name: 'species', kind: 'class', classes: ['a', 'b'] },
      },
      rows: Array.from({ length: 60 }, () => [islands[rng.int(3)], 40 + 5 * rng.normal(), rng.uniform() < 0.5 ? 'f' : 'm']),
      target: Array.from({ length: 60 }, (_, i) => (i % 2 ? 'a' : 'b')),
      missing: 0,
    };
    const score = (island: number, bill: number, male: number) => sigmoid(0.9 * island - 0.4 * island * male + 0.08 * (bill - 40) + 0.5 * male);
    const islandCode = (v: unknown) => islands.indexOf(String(v));
    const raw = functionModel(penguins.schema.features, (r) => {
      const p = score(islandCode(r[0]), r[1] as number, r[2] === 'm' ? 1 : 0);
      return [1 - p, p];
    }, { task: 'classification', classes: ['a', 'b'] });
    // The same function over the encoded inputs (island one-hot, bill standardised, sex one-hot).
    const enc = fitEncoder(penguins);
    const bill = enc.features[1] as { mean: number; std: number };
    const bb = functionBlackBox((x, n) => {
      const out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const o = i * enc.inputSize;
        const island = x[o + 1] * 1 + x[o + 2] * 2;
        const p = score(island, x[o + 3] * bill.std + bill.mean, x[o + 5]);
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
      return out;
    }, { task: 'classification', inputSize: enc.inputSize, outputSize: 2 });
    const encoded = createTabularModel(bb, enc);
    const picked = penguins.rows.slice(0, 4);
    const input = { data: penguins, rows: picked, rowIds: [0, 1, 2, 3], class: 'b', faithfulness: 0 };
    const a = await explainRows('shap', { ...input, model: raw });
    const b = await explainRows('shap', { ...input, model: encoded });
    expectEfficient(a);
    expectEfficient(b);
    for (const [i, e] of a.explanations.entries()) {
      expect(e.exact).toBe(true);
      expect(e.attributions.map((x) => x.feature)).toEqual(['island', 'bill', 'sex']);
      const bg = penguins.rows.slice(0, 60);
      const brute = bruteForceShapley((r) => score(islandCode(r[0]), r[1] as number, r[2] === 'm' ? 1 : 0), picked[i], bg);
      e.attributions.forEach((x, j) => expect(Math.abs(x.attribution - brute[j])).toBeLessThan(1e-4));
      e.attributions.forEach((x, j) => expect(Math.abs(x.attribution - b.explanations[i].attributions[j].attribution)).toBeLessThan(1e-5));
    }
  });

  it('explains a model behind an HTTP endpoint like the same network in JS', async () => {
    const small = gaussianData(12, 3, 9);
    const labelled: Dataset = { ...small, schema: { ...small.schema, target: { name: 'y', kind: 'class', classes: ['a', 'b'] } }, target: small.rows.map(() => 'a') };
    const server = await startServer(servingHandler(NETWORK));
    try {
      const http = createTabularModel(await httpBlackBox(server.url, { inputSize: 3, outputSize: 2, task: 'classification', batchSize: 64 }), identityEncoder(labelled));
      const js = functionModel(small.schema.features, (r) => forward(NETWORK, r as number[]), { task: 'classification', classes: ['a', 'b'] });
      const input = { data: labelled, rows: small.rows.slice(0, 2), rowIds: [0, 1], class: 'b', faithfulness: 0 };
      const [a, b] = [await explainRows('shap', { ...input, model: http }), await explainRows('shap', { ...input, model: js })];
      expectEfficient(a);
      expectEfficient(b);
      a.explanations.forEach((e, i) => e.attributions.forEach((x, j) => expect(Math.abs(x.attribution - b.explanations[i].attributions[j].attribution)).toBeLessThan(1e-5)));
    } finally {
      await server.close();
    }
  });

  it('scores Sensitivity-1 of at least 0.99 on a linear black box, where shuffled values score near 0', async () => {
    const W = [3, -2, 1.5, 1, -0.8, 0.6, 0.4, -0.3, 0.2, 0.1, 0.7, -1.2];
    const lin = gaussianData(120, W.length, 8);
    const linear = functionModel(lin.schema.features, (r) => [W.reduce((s, w, j) => s + w * (r[j] as number), 0.5)], { task: 'regression' });
    const picked = lin.rows.slice(0, 8);
    const bg: Dataset = { ...lin, rows: lin.rows.slice(60, 85) };
    const file = await explainRows('shap', { model: linear, data: lin, background: bg, rows: picked, rowIds: picked.map((_, i) => i), faithfulness: 64 }, { samples: 400 });
    expectEfficient(file);
    for (const e of file.explanations) {
      expect(e.exact).toBe(false);
      expect(e.faithfulness!.sensitivityN[0]).toMatchObject({ n: 1 });
      expect(e.faithfulness!.sensitivityN[0].correlation!).toBeGreaterThanOrEqual(0.99);
    }
    const rng = createRng(4);
    const baseline = lin.schema.features.map((_, j) => bg.rows.reduce((s, r) => s + (r[j] as number), 0) / bg.rows.length);
    const shuffled = await measureFaithfulness(
      linear,
      file.explanations.map((e, i) => ({ row: picked[i], rowId: i, output: 0, attributions: rng.shuffle(e.attributions.map((a) => a.attribution)) })),
      baseline,
      { seed: 1, subsets: 64 },
    );
    const meanAbs = shuffled.reduce((s, f) => s + Math.abs(f.sensitivityN[0].correlation ?? 0), 0) / shuffled.length;
    expect(meanAbs).toBeLessThan(0.35);
  });

  it('gives 0 to a column equal in every background row, and refuses a budget too small', async () => {
    const flat: Dataset = { ...background, rows: background.rows.map((r) => [r[0], ...r.slice(1, d - 1), 0.25]) };
    const x = [...rows[0].slice(0, d - 1), 0.25];
    const file = await explainRows('shap', { model: net, data, rows: [x], background: flat, faithfulness: 0 });
    expectEfficient(file);
    const e = file.explanations[0];
    expect(e.attributions[d - 1].attribution).toBe(0);
    expect(e.exact).toBe(true);
    expect(e.notes).toEqual(['equal to the row in every background row, hence 0: x9']);
    await expect(explainRows('shap', { model: net, data, rows }, { samples: 19 })).rejects.toThrow('--samples: shap needs at least 20 coalitions for 10 columns, got 19');
  });
});
