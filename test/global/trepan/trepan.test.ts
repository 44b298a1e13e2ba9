import { describe, expect, it } from 'vitest';
import {
  countRules,
  exportRuleSet,
  extractRules,
  findTrepanTest,
  loadDataset,
  predictLabels,
  trepanLiterals,
  trepanTestCondition,
  type ConditionT,
  type RuleSet,
  type TreeNodeT,
} from '../../../src/index.js';
import { trainedModel } from '../../helpers/trained.js';
import { evalCondition } from '../../../src/rules/evaluate.js';
import { conceptModel, monkModel, xorModel } from '../models.js';

async function agreement(rs: RuleSet, rows: (string | number | null)[][], model: { predictLabels(r: (string | number | null)[][]): Promise<Float64Array> }) {
  const p = predictLabels(rs, rows);
  const m = await model.predictLabels(rows);
  let k = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === m[i]) k++;
  return k / p.length;
}

function conditions(t: TreeNodeT): ConditionT[] {
  return t.type === 'leaf' ? [] : [t.condition, ...conditions(t.yes), ...conditions(t.no)];
}

const SEARCH = { beamWidth: 2, minImprovement: 0.005, maxN: 8, mofn: true, maxThresholds: 3, maxPairLiterals: 160 };

describe('trepan extractor', () => {
  it('MONK-2: expresses "exactly two attributes are 1" with M-of-N tests, fidelity >= 0.98, far fewer rules than cart', async () => {
    const { data, model } = await monkModel(2);
    const rs = await extractRules('trepan', { model, data, seed: 42 });
    const mofn = conditions((rs.surrogate as { root: TreeNodeT }).root).filter((c) => c.type === 'mofn');
    expect(mofn.length).toBeGreaterThanOrEqual(1);
    // The tests are over the six "attribute = 1" literals.
    for (const c of mofn) {
      expect(c.type === 'mofn' && c.conditions.every((l) => l.type === 'eq' && l.value === '1')).toBe(true);
    }
    const fid = await agreement(rs, data.rows, model);
    expect(fid).toBeGreaterThanOrEqual(0.98);
    const cart = await extractRules('cart', { model, data, seed: 42 }, { maxLeaves: 100, maxDepth: 12, raiseTolerance: 0 });
    expect(countRules(rs).rules * 5).toBeLessThanOrEqual(countRules(cart).rules);
    console.log(`MONK-2: trepan ${countRules(rs).rules} rules fidelity ${fid}; cart ${countRules(cart).rules} rules`);
  });

  it('MONK-1 and MONK-3: fidelity >= 0.99 on the 432-example space', async () => {
    for (const k of [1, 3] as const) {
      const { data, model } = await monkModel(k);
      const rs = await extractRules('trepan', { model, data, seed: 42 });
      expect(await agreement(rs, data.rows, model)).toBeGreaterThanOrEqual(0.99);
      expect(countRules(rs).rules).toBeLessThanOrEqual(8);
    }
  });

  it('XOR: fidelity >= 0.97 with at most 8 rules', async () => {
    const { data, model } = await xorModel();
    const rs = await extractRules('trepan', { model, data, seed: 42 });
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.97);
    expect(countRules(rs).rules).toBeLessThanOrEqual(8);
    expect(await agreement(rs, data.rows, model)).toBeGreaterThanOrEqual(0.97);
  });

  it('Iris with a trained network: fidelity >= 0.97 with at most 5 rules', async () => {
    const data = await loadDataset('builtin:iris');
    const { model } = await trainedModel('builtin:iris', { hidden: [8], epochs: 100, seed: 1 });
    const rs = await extractRules('trepan', { model, data, seed: 42 }, { maxNodes: 4 });
    expect(countRules(rs).rules).toBeLessThanOrEqual(5);
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.97);
    console.log(`trepan on iris: ${countRules(rs).rules} rules, held-out fidelity ${rs.fidelity!.value}`);
  }, 60_000);

  it('is deterministic per seed and records provenance', async () => {
    const { data, model } = await monkModel(1);
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    const a = await extractRules('trepan', { model, data, seed: 5 }, { minSamples: 300 });
    const b = await extractRules('trepan', { model, data, seed: 5 }, { minSamples: 300 });
    delete process.env.SOURCE_DATE_EPOCH;
    expect(exportRuleSet(a)).toBe(exportRuleSet(b));
    expect(a.provenance).toMatchObject({ method: 'trepan', seed: 5, data: 'builtin:monk1' });
    expect(a.provenance.options).toMatchObject({ minSamples: 300, maxNodes: 8, beamWidth: 2 });
    expect(a.provenance.samples).toBeGreaterThanOrEqual(346);
  });

  it('with mofn: false, splits on single tests only', async () => {
    const { data, model } = await monkModel(2);
    const rs = await extractRules('trepan', { model, data, seed: 42 }, { mofn: false });
    expect(conditions((rs.surrogate as { root: TreeNodeT }).root).some((c) => c.type === 'mofn')).toBe(false);
  });

  it('rejects regression models', async () => {
    const data = await loadDataset('builtin:xor?n=50');
    const { functionBlackBox, createTabularModel, fitEncoder } = await import('../../../src/index.js');
    const enc = fitEncoder({ ...data, target: data.rows.map(() => 1), schema: { ...data.schema, target: { name: 'y', kind: 'regression' } } });
    const reg = createTabularModel(functionBlackBox((_x, n) => new Float32Array(n), { task: 'regression', inputSize: enc.inputSize, outputSize: 1 }), enc);
    await expect(extractRules('trepan', { model: reg, data, seed: 1 })).rejects.toThrow('trepan extracts classification trees');
    expect(conceptModel(data, 'c', () => 0).classes).toEqual(['0', '1']);
  });
});

describe('M-of-N search', () => {
  it('finds "at least 2 of 3" from its literals (beam search from the best single test)', () => {
    const features = ['a', 'b', 'c', 'd'].map((name) => ({ name, type: 'categorical' as const, categories: ['0', '1'] }));
    const rows: string[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 16; i++) {
      const bits = [0, 1, 2, 3].map((j) => (i >> j) & 1);
      for (let rep = 0; rep < 5; rep++) {
        rows.push(bits.map(String));
        labels.push(bits[0] + bits[1] + bits[2] >= 2 ? 1 : 0);
      }
    }
    const y = Int32Array.from(labels);
    const lits = trepanLiterals(rows, y, 2, features, 3);
    const test = findTrepanTest(lits, y, 2, SEARCH)!;
    expect(test.gain).toBeCloseTo(1, 6); // a perfect split of a balanced class: 1 bit
    const cond = trepanTestCondition(test, lits);
    // "2 of (a=1, b=1, c=1)" or, equally good, its complement "2 of (a=0, b=0, c=0)" (the first on ties).
    expect(cond).toEqual({
      type: 'mofn',
      m: 2,
      conditions: ['a', 'b', 'c'].map((f) => ({ type: 'eq', feature: f, value: '0' })),
    });
    const index = new Map(features.map((f, j) => [f.name, j]));
    rows.forEach((r, i) => expect(evalCondition(cond, r, index)).toBe(labels[i] === 0));
  });
});
