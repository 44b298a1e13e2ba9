import { describe, expect, it } from 'vitest';
import {
  countRules,
  exportRuleSet,
  extractRules,
  importRuleSet,
  loadDataset,
  predictLabels,
  type RuleSet,
} from '../../../src/index.js';
import { trainedModel } from '../../helpers/trained.js';
import { conceptModel, monkModel, xorModel } from '../models.js';

/** Agreement of the rules with the model on every row of the data. */
async function agreement(rs: RuleSet, data: { rows: (string | number | null)[][] }, model: { predictLabels(r: (string | number | null)[][]): Promise<Float64Array> }) {
  const p = predictLabels(rs, data.rows);
  const m = await model.predictLabels(data.rows);
  let k = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === m[i]) k++;
  return k / p.length;
}

describe('cart extractor', () => {
  it('reaches fidelity >= 0.99 on the whole 432-example space of MONK-1, -2 and -3', async () => {
    const figures: string[] = [];
    for (const k of [1, 2, 3] as const) {
      const { data, model } = await monkModel(k);
      // MONK-2 (exactly two attributes = 1) has no small axis-parallel tree: allow a large one.
      const options = k === 2 ? { maxLeaves: 100, maxDepth: 12, raiseTolerance: 0 } : {};
      const rs = await extractRules('cart', { model, data, seed: 42 }, options);
      const fid = await agreement(rs, data, model);
      figures.push(`monk${k}: ${countRules(rs).rules} rules, fidelity ${fid}`);
      expect(fid).toBeGreaterThanOrEqual(0.99);
      expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.97);
      if (k !== 2) expect(countRules(rs).rules).toBeLessThanOrEqual(8);
    }
    console.log(`cart on MONK (function black boxes): ${figures.join('; ')}`);
  });

  it('XOR: fidelity >= 0.97 with at most 8 rules', async () => {
    const { data, model } = await xorModel();
    const rs = await extractRules('cart', { model, data, seed: 42 });
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.97);
    expect(countRules(rs).rules).toBeLessThanOrEqual(8);
    expect(await agreement(rs, data, model)).toBeGreaterThanOrEqual(0.97);
    // Only x0 and x1 matter.
    expect(countRules(rs).features).toBe(2);
  });

  it('Iris with a trained network: fidelity >= 0.97 with at most 5 rules', async () => {
    const data = await loadDataset('builtin:iris');
    const { model } = await trainedModel('builtin:iris', { hidden: [8], epochs: 100, seed: 1 });
    const rs = await extractRules('cart', { model, data, seed: 42 }, { maxLeaves: 5 });
    expect(countRules(rs).rules).toBeLessThanOrEqual(5);
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.97);
    expect(rs.fidelity!.rows).toBe(30);
    console.log(`cart on iris (trainMlp [8]): ${countRules(rs).rules} rules, held-out fidelity ${rs.fidelity!.value}`);
  }, 60_000);

  it('records provenance, holds out 20 % of the rows, and is deterministic per seed', async () => {
    const { data, model } = await monkModel(3);
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    const a = await extractRules('cart', { model, data, seed: 7 }, { samples: 500 });
    const b = await extractRules('cart', { model, data, seed: 7 }, { samples: 500 });
    delete process.env.SOURCE_DATE_EPOCH;
    expect(exportRuleSet(a)).toBe(exportRuleSet(b));
    expect(a.provenance.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(a.provenance).toMatchObject({
      method: 'cart',
      seed: 7,
      samples: 346 + 500,
      data: 'builtin:monk3',
      model: { type: 'function', source: 'monk3-concept' },
    });
    expect(a.provenance.options).toMatchObject({ samples: 500, maxDepth: 8, output: 'tree' });
    expect(a.fidelity).toMatchObject({ rows: 86, metric: 'agreement', data: 'held-out 20% of builtin:monk3 (86 rows)' });
    expect(a.surrogate.kind).toBe('tree');
    // Round trip through the rule file format.
    expect(exportRuleSet(importRuleSet(exportRuleSet(a), 'a.json'))).toBe(exportRuleSet(a));
  });

  it('outputs a simplified decision list on request', async () => {
    const { data, model } = await monkModel(1);
    const tree = await extractRules('cart', { model, data, seed: 42 });
    const list = await extractRules('cart', { model, data, seed: 42 }, { output: 'list' });
    expect(list.surrogate.kind).toBe('list');
    expect(list.simplification).toBeDefined();
    expect(list.simplification!.after.rules).toBeLessThanOrEqual(list.simplification!.before.rules);
    expect(list.fidelity!.value).toBeGreaterThanOrEqual(tree.fidelity!.value - 0.01);
  });

  it('fits regression models (variance criterion, R² fidelity)', async () => {
    const data = await loadDataset('builtin:xor?n=400&seed=3');
    const model = conceptModel(data, 'step', (raw) => ((raw[0] as number) > 0.5 ? 1 : 0));
    // A classification model over the same data checks that classes are named; now a regression one:
    const { functionBlackBox, createTabularModel, fitEncoder } = await import('../../../src/index.js');
    const enc = fitEncoder({ ...data, target: data.rows.map((r) => (r[0] as number) * 3), schema: { ...data.schema, target: { name: 'y', kind: 'regression' } } });
    const reg = createTabularModel(
      functionBlackBox(
        (x, n) => {
          const out = new Float32Array(n);
          const f = enc.features[0] as { mean: number; std: number };
          for (let i = 0; i < n; i++) out[i] = (x[i * enc.inputSize] * f.std + f.mean > 0.5 ? 10 : 0) + 1;
          return out;
        },
        { task: 'regression', inputSize: enc.inputSize, outputSize: 1, name: 'step-regression' },
      ),
      enc,
    );
    const rs = await extractRules('cart', { model: reg, data, seed: 1 }, { samples: 1000 });
    expect(rs.task).toBe('regression');
    expect(rs.fidelity!.metric).toBe('r2');
    expect(rs.fidelity!.value).toBeGreaterThan(0.95);
    expect(model.classes).toEqual(['0', '1']);
  });

  it('rejects unknown and bad options with the option named', async () => {
    const { data, model } = await monkModel(1);
    await expect(extractRules('cart', { model, data, seed: 1 }, { depth: 3 })).rejects.toThrow('cart: unknown option "depth"; options: maxDepth');
    await expect(extractRules('cart', { model, data, seed: 1 }, { maxDepth: 0 })).rejects.toThrow('cart: option maxDepth must be an integer from 1 to 64, got 0');
    await expect(extractRules('cart', { model, data, seed: 1 }, { output: 'graph' })).rejects.toThrow('one of tree, list');
  });
});
