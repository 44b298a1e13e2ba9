import { existsSync } from 'node:fs';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineRow, encodeRows, explainRows, importExplanations, initBackend, localExplainer, parseMethodOptions, type Dataset, type ExplanationT, type Row, type TabularModel } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { fitEncoder, layersNet, mixedData, modelPair } from '../helpers/networks.js';
import { NETWORK, expectInputError, servingHandler, startServer, useLabelledCsv, writeKerasModel } from '../model/fixtures.js';

const METHODS = ['saliency', 'gradient-input', 'integrated-gradients', 'smoothgrad', 'deeplift', 'lrp'] as const;

let dir: string;
const data = mixedData();
const enc = fitEncoder(data);
// The baseline: background means, the most frequent colour (some rows have it, some do not).
const baseline = baselineRow(data, 'mean');
const rows = data.rows.slice(0, 5);
let models: { tfjs: TabularModel; onnx: TabularModel };

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  dir = await mkdtemp(join(tmpdir(), 'sd-gradient-methods-'));
  models = await modelPair(layersNet([5, 8, 6, 3], ['tanh', 'relu', 'softmax'], 11), enc, dir, 'mlp');
});
afterAll(async () => {
  await models?.tfjs.dispose();
  await models?.onnx.dispose();
  await rm(dir, { recursive: true, force: true });
});

const explain = (method: string, model: TabularModel, options: Record<string, unknown> = {}, input: { data?: Dataset; rows?: Row[]; class?: string } = {}) =>
  explainRows(method, { model, data: input.data ?? data, rows: input.rows ?? rows, rowIds: (input.rows ?? rows).map((_, i) => i), faithfulness: 0, class: input.class }, options);

const values = (e: ExplanationT) => e.attributions.map((a) => a.attribution);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('gradient methods', () => {
  it('saliency equals central differences per original column: numeric through the standardisation, categorical along the one-hot move from the baseline', async () => {
    expect(rows.some((r) => r[0] !== baseline[0])).toBe(true);
    const b = encodeRows(enc, [baseline]);
    for (const model of [models.tfjs, models.onnx]) {
      const file = await explain('saliency', model);
      for (const [i, e] of file.explanations.entries()) {
        const c = e.classIndex!;
        expect(e.base).toBeNull();
        // Numeric columns: raw steps of 0.4 % of the column's spread.
        for (const j of [1, 2]) {
          const h = 0.004 * (enc.features[j] as { std: number }).std;
          const up = [...rows[i]];
          const down = [...rows[i]];
          up[j] = (up[j] as number) + h;
          down[j] = (down[j] as number) - h;
          const y = await model.predictRows([up, down]);
          expect(Math.abs(e.attributions[j].attribution - (y[c] - y[3 + c]) / (2 * h))).toBeLessThan(1e-4);
        }
        // The categorical column: the directional derivative along x − b in its one-hot inputs.
        const x = encodeRows(enc, [rows[i]]);
        const h = 4e-3;
        const pts = new Float32Array(10);
        for (let q = 0; q < 5; q++) {
          const d = q < 3 ? x[q] - b[q] : 0;
          pts[q] = x[q] + h * d;
          pts[5 + q] = x[q] - h * d;
        }
        const y = await model.blackBox.predict(pts, 2);
        expect(Math.abs(e.attributions[0].attribution - (y[c] - y[3 + c]) / (2 * h))).toBeLessThan(1e-4);
        if (rows[i][0] === baseline[0]) expect(e.attributions[0].attribution).toBe(0);
      }
    }
  });

  it("integrated gradients' completeness gap is under 1 % of f(x) − f(baseline) at the default steps, refining the rows that need it", async () => {
    const many = data.rows.slice(0, 12);
    const file = await explain('integrated-gradients', models.tfjs, {}, { rows: many });
    expect(file.provenance.options).toMatchObject({ 'integrated-gradients': { steps: 64, tolerance: 0.01, maxSteps: 1024, rule: 'trapezoid' } });
    for (const e of file.explanations) {
      const delta = e.prediction - e.base!;
      expect(Math.abs(delta)).toBeGreaterThan(0.001);
      expect(e.completenessGap!).toBeCloseTo(Math.abs(sum(values(e)) - delta), 6);
      expect(e.completenessGap! / Math.abs(delta)).toBeLessThan(0.01);
    }
    // This ReLU network's gradient jumps along some paths: 64 fixed steps miss there, and those rows were refined.
    const fixed = await explain('integrated-gradients', models.tfjs, { tolerance: 0 }, { rows: many });
    const refined = file.explanations.filter((e) => e.notes?.some((n) => /^integrated with \d+ steps \(from 64\)/.test(n)));
    expect(refined.length).toBeGreaterThan(0);
    for (const e of refined) expect(e.completenessGap!).toBeLessThan(fixed.explanations[e.row].completenessGap!);
    expect(fixed.explanations.every((e) => e.notes === undefined)).toBe(true);
    const coarse = await explain('integrated-gradients', models.tfjs, { steps: 2, tolerance: 0 }, { rows: many });
    expect(sum(coarse.explanations.map((e) => e.completenessGap!))).toBeGreaterThan(sum(fixed.explanations.map((e) => e.completenessGap!)));
  });

  it('the TF.js model and its ONNX copy give the same attributions within 1e-5, for every method', async () => {
    for (const method of METHODS) {
      const options = method === 'smoothgrad' ? { samples: 8 } : {};
      const [a, b] = [await explain(method, models.tfjs, options), await explain(method, models.onnx, options)];
      a.explanations.forEach((e, i) => {
        const f = b.explanations[i];
        expect([e.method, e.class, e.base === null]).toEqual([f.method, f.class, f.base === null]);
        e.attributions.forEach((x, j) => expect(Math.abs(x.attribution - f.attributions[j].attribution), `${method} row ${i} ${x.feature}`).toBeLessThan(1e-5));
      });
    }
  });

  it('DeepLIFT and LRP sum to f(x) − f(baseline), for softmax and single-sigmoid outputs, for the class asked', async () => {
    const binary = { ...data, schema: { ...data.schema, target: { name: 'y', kind: 'class' as const, classes: ['no', 'yes'] } }, target: data.rows.map((_, i) => (i % 2 ? 'yes' : 'no')) };
    const sig = await modelPair(layersNet([5, 6, 1], ['relu', 'sigmoid'], 12), fitEncoder(binary), dir, 'sig');
    try {
      for (const [model, input] of [
        [models.tfjs, {}],
        [models.onnx, { class: 'maybe' }],
        [sig.tfjs, { data: binary, class: 'no' }],
        [sig.onnx, { data: binary, class: 'yes' }],
      ] as const) {
        for (const [method, options] of [['deeplift', {}], ['lrp', {}], ['lrp', { epsilon: 0.5 }]] as const) {
          const file = await explain(method, model, options, input);
          for (const e of file.explanations) {
            if ('class' in input) expect(e.class).toBe(input.class);
            expect(Math.abs(sum(values(e)) - (e.prediction - e.base!))).toBeLessThan(1e-5);
            expect(e.completenessGap!).toBeLessThan(1e-5);
          }
        }
      }
      // With ε = 0 the ε-rule is DeepLIFT's rescale rule; with ε > 0 it moves relevance.
      const [dl, lrp0, lrpBig] = [await explain('deeplift', models.tfjs), await explain('lrp', models.tfjs, { epsilon: 0 }), await explain('lrp', models.tfjs, { epsilon: 5 })];
      dl.explanations.forEach((e, i) => values(e).forEach((v, j) => expect(Math.abs(v - values(lrp0.explanations[i])[j])).toBeLessThan(1e-9)));
      expect(Math.max(...dl.explanations.flatMap((e, i) => values(e).map((v, j) => Math.abs(v - values(lrpBig.explanations[i])[j]))))).toBeGreaterThan(1e-3);
    } finally {
      await sig.tfjs.dispose();
      await sig.onnx.dispose();
    }
  });

  it('DeepLIFT equals the exact Shapley values (baseline as reference, brute force over coalitions) on a one-layer network', async () => {
    const reg = { ...data, schema: { ...data.schema, target: { name: 'v', kind: 'regression' as const } }, target: data.rows.map((r) => r[1] as number) };
    const lin = await modelPair(layersNet([5, 1], ['linear'], 13), fitEncoder(reg), dir, 'linear');
    try {
      const d = 3;
      for (const model of [lin.tfjs, lin.onnx]) {
        expect(model.task).toBe('regression');
        const file = await explain('deeplift', model, {}, { data: reg });
        for (const [i, e] of file.explanations.entries()) {
          // v(S): the row's values on S, the baseline's elsewhere.
          const coalitions: Row[] = Array.from({ length: 1 << d }, (_, s) => baseline.map((v, j) => ((s >> j) & 1 ? rows[i][j] : v)));
          const v = await model.predictRows(coalitions);
          const fact = (m: number): number => (m <= 1 ? 1 : m * fact(m - 1));
          for (let j = 0; j < d; j++) {
            let phi = 0;
            for (let s = 0; s < 1 << d; s++) {
              if ((s >> j) & 1) continue;
              const size = [0, 1, 2].filter((q) => (s >> q) & 1).length;
              phi += ((fact(size) * fact(d - size - 1)) / fact(d)) * (v[s | (1 << j)] - v[s]);
            }
            expect(Math.abs(e.attributions[j].attribution - phi), `row ${i} column ${j}`).toBeLessThan(1e-5);
          }
        }
      }
    } finally {
      await lin.tfjs.dispose();
      await lin.onnx.dispose();
    }
  });

  it('refuses bad option values with the flag at fault', () => {
    expect(() => parseMethodOptions(localExplainer('integrated-gradients'), { steps: 0 })).toThrow('--steps: expected an integer >= 1, got 0');
    expect(() => parseMethodOptions(localExplainer('integrated-gradients'), { steps: 2.5 })).toThrow('--steps: expected an integer >= 1, got 2.5');
    expect(() => parseMethodOptions(localExplainer('smoothgrad'), { samples: 0 })).toThrow('--samples: expected an integer >= 1, got 0');
    expect(() => parseMethodOptions(localExplainer('smoothgrad'), { noise: -0.1 })).toThrow('--noise: expected a number >= 0, got -0.1');
    expect(() => parseMethodOptions(localExplainer('lrp'), { epsilon: -1 })).toThrow('--epsilon: expected a number >= 0, got -1');
  });
});

describe('distill explain with gradient methods', () => {
  const csv = useLabelledCsv();

  it('explains a Layers model, refuses --steps 0, and refuses an HTTP model with the methods that work, writing no file', async () => {
    const model = join(dir, 'keras');
    await writeKerasModel(model);
    const server = await startServer(servingHandler(NETWORK));
    try {
      const out = (name: string) => join(dir, name);
      const base = ['explain', '--data', csv.csv(), '--row', '0', '--quiet'];
      const [ok, steps, http] = await Promise.all([
        runCli([...base, '--model', model, '--method', 'integrated-gradients', '--steps', '32', '--format', 'json', '--out', out('ig.json')]),
        runCli([...base, '--model', model, '--method', 'integrated-gradients', '--steps', '0', '--out', out('steps.json')]),
        runCli([...base, '--model', server.url, '--method', 'integrated-gradients', '--out', out('http.json')]),
      ]);
      expect(ok.code, ok.stderr).toBe(0);
      const file = importExplanations(await readFile(out('ig.json'), 'utf8'), 'ig.json');
      expect(file.provenance.options).toMatchObject({ 'integrated-gradients': { steps: 32 } });
      expect(file.explanations[0]).toMatchObject({ row: 0, method: 'integrated-gradients' });
      expect(file.explanations[0].completenessGap).toBeLessThan(0.01);
      expect(file.explanations[0].faithfulness?.sensitivityN.length).toBeGreaterThan(0);
      expectInputError(steps, /^distill: --steps: expected an integer >= 1, got 0$/m);
      expectInputError(http, /^distill: --method: integrated-gradients needs the model's gradients, which this model \(http\) does not expose; methods that work on it: lime, anchors/m);
      expect(existsSync(out('steps.json'))).toBe(false);
      expect(existsSync(out('http.json'))).toBe(false);
    } finally {
      await server.close();
    }
  });
});
