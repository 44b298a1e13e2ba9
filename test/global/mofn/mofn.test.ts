import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countRules,
  createRng,
  createTabularModel,
  encodedNames,
  extractMofN,
  extractRules,
  extractUnitMofN,
  fitEncoder,
  httpBlackBox,
  loadDataset,
  mofnExtractor,
  predictLabels,
  unitStates,
  validateRuleSet,
  type ConditionT,
  type RuleSet,
} from '../../../src/index.js';
import { trainedModel } from '../../helpers/trained.js';
import { denseModel, encoderFor, layer } from '../decompositional/dense-model.js';

/**
 * A sigmoid network for MONK-2 ("exactly two attributes take their first value"): hidden unit 1
 * fires when at least two first values are present, unit 2 when at least three; the output is
 * unit 1 AND NOT unit 2. Every weight gets Gaussian noise, so clustering and elimination matter.
 */
async function monk2Network(noise = 0.3) {
  const ds = await loadDataset('builtin:monk2');
  const enc = encoderFor(ds);
  const names = encodedNames(enc);
  const first = names.map((n) => (n.endsWith('=1') ? 1 : 0));
  const rng = createRng(7);
  const k = 6;
  const hidden = layer(
    first.map((f) => [k * f + noise * rng.normal(), k * f + noise * rng.normal()]),
    [-1.5 * k, -2.5 * k],
    'sigmoid',
  );
  const output = layer([[0, k], [0, -k]], [0, -k / 2], 'softmax');
  const model = denseModel({ layers: [hidden, output] }, enc);
  return { ds, model, names };
}

function mofnConditions(rs: RuleSet): ConditionT[] {
  if (rs.surrogate.kind !== 'list') throw new Error('expected a list');
  return rs.surrogate.rules.flatMap((r) => r.conditions).filter((c) => c.type === 'mofn');
}

describe('mofn', () => {
  it('reads MONK-2 as "at least 2 of the first values AND NOT at least 3"', async () => {
    const { ds, model } = await monk2Network();
    const labels = await model.predictLabels(ds.rows);
    const truth = ds.target!.map((t) => (t === '1' ? 1 : 0));
    expect([...labels].filter((y, i) => y === truth[i]).length).toBe(432); // the network is exact
    const rs = await extractMofN({ model, data: ds, seed: 1 }, {});
    expect(rs.surrogate.kind).toBe('list');
    if (rs.surrogate.kind !== 'list') return;
    // one rule for class 1, made of two M-of-N tests over the six "attribute = 1" tests
    expect(rs.surrogate.rules).toHaveLength(1);
    expect(rs.surrogate.default).toEqual({ class: '0' });
    const conds = mofnConditions(rs);
    expect(conds).toHaveLength(2);
    const atLeast2 = conds.find((c) => c.type === 'mofn' && c.conditions.every((x) => x.type === 'eq'));
    const notAtLeast3 = conds.find((c) => c.type === 'mofn' && c.conditions.every((x) => x.type === 'neq'));
    expect(atLeast2).toMatchObject({ m: 2 });
    expect(notAtLeast3).toMatchObject({ m: 4 }); // NOT (3 of 6) = at least 4 of the 6 negations
    for (const c of [atLeast2!, notAtLeast3!]) {
      if (c.type !== 'mofn') continue;
      expect(c.conditions.map((x) => (x.type === 'eq' || x.type === 'neq' ? `${x.feature}:${x.value}` : '?')).sort()).toEqual(
        ['body_shape:1', 'has_tie:1', 'head_shape:1', 'holding:1', 'is_smiling:1', 'jacket_color:1'],
      );
    }
    // fidelity on the whole 432-example space and on the held-out rows
    const agree = [...predictLabels(rs, ds.rows)].filter((y, i) => y === labels[i]).length / 432;
    expect(agree).toBeGreaterThanOrEqual(0.98);
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.98);
    expect(rs.fidelity!.rows).toBe(86);
    expect(rs.provenance).toMatchObject({ method: 'mofn', seed: 1, samples: 346 + 1000 });
    expect(rs.provenance.options).toMatchObject({ clusterDistance: 0.25, holdOut: 0.2 });
  });

  it('writes a valid rule set whose conditions name only original columns', async () => {
    const { ds, model } = await monk2Network();
    const rs = await extractMofN({ model, data: ds, seed: 1 }, { samples: 0 });
    expect(validateRuleSet(JSON.parse(JSON.stringify(rs))).ok).toBe(true);
    expect(rs.provenance.samples).toBe(346);
    const names = new Set(ds.schema.features.map((f) => f.name));
    const flat = (c: ConditionT): ConditionT[] => (c.type === 'mofn' ? c.conditions.flatMap(flat) : [c]);
    const all = rs.surrogate.kind === 'list' ? rs.surrogate.rules.flatMap((r) => r.conditions.flatMap(flat)) : [];
    for (const c of all) expect(names.has((c as { feature: string }).feature)).toBe(true);
  });

  it('is deterministic for a seed', async () => {
    const { ds, model } = await monk2Network();
    const a = await mofnExtractor.extract({ model, data: ds, seed: 3 }, { samples: 200 });
    const b = await mofnExtractor.extract({ model, data: ds, seed: 3 }, { samples: 200 });
    expect(JSON.stringify({ ...a, provenance: null })).toBe(JSON.stringify({ ...b, provenance: null }));
  });
});

describe('mofn with more than two classes', () => {
  it('reads one softmax unit per class and makes the most frequent class the default', async () => {
    const monk = await loadDataset('builtin:monk2');
    const cls = (r: (string | number | null)[]) => (r[4] === '1' ? 'a' : r[4] === '2' ? 'b' : 'c');
    const ds = { ...monk, schema: { ...monk.schema, target: { name: 'y', kind: 'class' as const, classes: ['a', 'b', 'c'] } }, target: monk.rows.map(cls) };
    const enc = fitEncoder(ds);
    const names = encodedNames(enc);
    const k = 8;
    const w = names.map((n) => [n === 'jacket_color=1' ? k : 0, n === 'jacket_color=2' ? k : 0]);
    const model = denseModel({ layers: [layer(w, [-k / 2, -k / 2], 'sigmoid'), layer([[2 * k, 0, 0], [0, 2 * k, 0]], [0, 0, k], 'softmax')] }, enc);
    const rs = await extractMofN({ model, data: ds, seed: 4 }, { samples: 200 });
    expect(rs.fidelity!.value).toBe(1);
    if (rs.surrogate.kind !== 'list') throw new Error('list expected');
    expect(rs.surrogate.default).toEqual({ class: 'c' });
    const rules = rs.surrogate.rules.map((r) => [r.conditions, (r.output as { class: string }).class]);
    expect(rules).toEqual(
      expect.arrayContaining([
        [[{ type: 'eq', feature: 'jacket_color', value: '1' }], 'a'],
        [[{ type: 'eq', feature: 'jacket_color', value: '2' }], 'b'],
      ]),
    );
    expect(rules).toHaveLength(2);
  });
});

describe('mofn on a trained network', () => {
  it('recovers MONK-2 from a 2-unit sigmoid MLP with far fewer rules than a tree', async () => {
    const ds = await loadDataset('builtin:monk2');
    const trained = await trainedModel('builtin:monk2', { hidden: [2], activation: 'sigmoid', epochs: 100, learningRate: 0.05, validationSplit: 0, seed: 1 });
    const model = trained.model;
    const labels = await model.predictLabels(ds.rows);
    const rs = await extractRules('mofn', { model, data: ds, seed: 1 });
    const agree = [...predictLabels(rs, ds.rows)].filter((y, i) => y === labels[i]).length / 432;
    expect(agree).toBeGreaterThanOrEqual(0.98);
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.98);
    const mofnCount = countRules(rs);
    const tree = await extractRules('cart', { model, data: ds, seed: 1 });
    const treeCount = countRules(tree);
    expect(rs.surrogate.kind === 'list' && rs.surrogate.rules.every((r) => r.conditions.some((c) => c.type === 'mofn'))).toBe(true);
    expect(mofnCount.rules * 5).toBeLessThanOrEqual(treeCount.rules);
    console.log(`MONK-2 trained sigmoid [2]: mofn fidelity all=${agree.toFixed(4)} held-out=${rs.fidelity!.value.toFixed(4)} rules=${mofnCount.rules}; cart rules=${treeCount.rules} fidelity=${tree.fidelity!.value.toFixed(4)}`);
  }, 60_000);
});

describe('mofn refuses networks it cannot read', () => {
  it('rejects ReLU hidden units', async () => {
    const ds = await loadDataset('builtin:monk2');
    const enc = encoderFor(ds);
    const model = denseModel({ layers: [layer(Array.from({ length: 17 }, () => [1]), [0], 'relu'), layer([[1, -1]], [0, 0], 'softmax')] }, enc);
    await expect(extractMofN({ model, data: ds, seed: 1 })).rejects.toThrow(
      'mofn needs sigmoid or tanh hidden units (units that are on or off); hidden layer 1 uses relu: use cred or deepred, or a pedagogical method (cart, trepan)',
    );
  });

  it('rejects numeric inputs that are not binary', async () => {
    const ds = await loadDataset('builtin:iris');
    const enc = encoderFor(ds);
    const model = denseModel({ layers: [layer([[1], [0], [0], [0]], [0], 'sigmoid'), layer([[1, 0, -1]], [0, 0, 0], 'softmax')] }, enc);
    await expect(extractMofN({ model, data: ds, seed: 1 })).rejects.toThrow(
      /mofn needs binary or discretised inputs .*column "sepal_length" is numeric with more than two values/,
    );
  });

  it('accepts a numeric column that only takes two values, as a threshold in raw units', async () => {
    const ds = await loadDataset('builtin:monk2');
    // add a 0/1 numeric column "flag" equal to (head_shape = 1); the network only looks at it
    const data = {
      ...ds,
      schema: { ...ds.schema, features: [...ds.schema.features, { name: 'flag', type: 'numeric' as const }] },
      rows: ds.rows.map((r) => [...r, r[0] === '1' ? 1 : 0]),
    };
    const enc = fitEncoder(data);
    const w = enc.features.flatMap((f) => (f.type === 'numeric' ? [[5]] : f.categories.map(() => [0])));
    const model = denseModel({ layers: [layer(w, [0], 'sigmoid'), layer([[6, -6]], [-3, 3], 'softmax')] }, enc);
    const rs = await extractMofN({ model, data, seed: 1 });
    if (rs.surrogate.kind !== 'list') throw new Error('list expected');
    const conds = rs.surrogate.rules.flatMap((r) => r.conditions);
    expect(conds).toHaveLength(1);
    expect(conds[0]).toEqual({ type: 'gt', feature: 'flag', threshold: 0.5 });
    expect(rs.fidelity!.value).toBe(1);
  });

  it('says a function black box does not expose its weights', async () => {
    const { ds, model } = await monk2Network();
    const enc = encoderFor(ds);
    const blind = createTabularModel({ ...model.blackBox, denseNetwork: undefined }, enc);
    await expect(extractMofN({ model: blind, data: ds, seed: 1 })).rejects.toThrow(
      "mofn needs the network's weights; function models do not expose them: use a pedagogical method (cart, trepan)",
    );
  });

  it('says an HTTP endpoint does not expose its weights', async () => {
    const ds = await loadDataset('builtin:monk2');
    const enc = encoderFor(ds);
    const bb = await httpBlackBox('http://127.0.0.1:9/v1/models/m:predict', { inputSize: enc.inputSize, outputSize: 2, task: 'classification', retries: 0 });
    const model = createTabularModel(bb, enc);
    await expect(extractMofN({ model, data: ds, seed: 1 })).rejects.toThrow(
      "mofn needs the network's weights; http models do not expose them: use a pedagogical method (cart, trepan)",
    );
    await expect(extractRules('mofn', { model, data: ds, seed: 1 })).rejects.toThrow(/does not expose; use a pedagogical method \(cart, trepan\)/);
  });
});

describe('extractUnitMofN', () => {
  /** All 2^p binary rows of p inputs. */
  function allRows(p: number) {
    const n = 2 ** p;
    const inputs = new Uint8Array(n * p);
    for (let r = 0; r < n; r++) for (let i = 0; i < p; i++) inputs[r * p + i] = (r >> i) & 1;
    return { inputs, n };
  }

  it('reads equal weights as at least m of n', () => {
    const { inputs, n } = allRows(3);
    const target = Uint8Array.from({ length: n }, (_, r) => ((r & 1) + ((r >> 1) & 1) + ((r >> 2) & 1) >= 2 ? 1 : 0));
    const rule = extractUnitMofN({ weights: [4.1, 3.9, 4], bias: -6, inputs, target, n }, { clusterDistance: 0.25, eliminateTolerance: 0, maxCombinations: 4096 });
    expect(rule.clusters).toHaveLength(1);
    expect(rule.clusters[0].weight).toBeCloseTo(4, 10);
    expect(rule.agreement).toBe(1);
    expect(rule.expr).toEqual({ k: 'mofn', m: 2, items: [0, 1, 2].map((i) => ({ k: 'var', i, pos: true })) });
  });

  it('turns negative weights into negated literals and drops a cluster that does not matter', () => {
    const { inputs, n } = allRows(3);
    // unit: 5·x0 - 5·x1 + 0.1·x2 - 2.5 > 0  <=>  x0 AND NOT x1
    const target = Uint8Array.from({ length: n }, (_, r) => ((r & 1) === 1 && ((r >> 1) & 1) === 0 ? 1 : 0));
    const rule = extractUnitMofN({ weights: [5, -5, 0.1], bias: -2.5, inputs, target, n }, { clusterDistance: 0.25, eliminateTolerance: 0, maxCombinations: 4096 });
    expect(rule.agreement).toBe(1);
    expect(rule.expr).toEqual({ k: 'mofn', m: 2, items: [{ k: 'var', i: 0, pos: true }, { k: 'var', i: 1, pos: false }] });
  });

  it('re-fits the bias (weights frozen) to the states the unit should have', () => {
    const { inputs, n } = allRows(3);
    // the weights say "at least 1 of 3" with this bias, but the unit should be "at least 2 of 3"
    const target = Uint8Array.from({ length: n }, (_, r) => ((r & 1) + ((r >> 1) & 1) + ((r >> 2) & 1) >= 2 ? 1 : 0));
    const rule = extractUnitMofN({ weights: [4, 4, 4], bias: -1, inputs, target, n }, { clusterDistance: 0.25, eliminateTolerance: 0, maxCombinations: 4096 });
    expect(rule.threshold).toBe(6); // the middle of the best gap between 4 and 8
    expect(rule.agreement).toBe(1);
    expect(rule.expr).toMatchObject({ k: 'mofn', m: 2 });
  });
});

describe('extractUnitMofN (property)', () => {
  it('its M-of-N expression says exactly what the simplified unit computes', () => {
    const evalVar = (e: import('../../../src/index.js').MofNExpr, bits: number[]): boolean => {
      switch (e.k) {
        case 'const':
          return e.value;
        case 'var':
          return (bits[e.i] === 1) === e.pos;
        case 'mofn':
          return e.items.filter((x) => evalVar(x, bits)).length >= e.m;
        default:
          throw new Error('unexpected literal');
      }
    };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(-4, -2, -1, 0, 1, 2, 3, 4), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: -8, max: 8 }),
        fc.constantFrom(0.1, 0.25, 0.6),
        (weights, bias, clusterDistance) => {
          const p = weights.length;
          const n = 2 ** p;
          const inputs = new Uint8Array(n * p);
          for (let r = 0; r < n; r++) for (let i = 0; i < p; i++) inputs[r * p + i] = (r >> i) & 1;
          const target = Uint8Array.from({ length: n }, (_, r) => (weights.reduce((s, w, i) => s + w * ((r >> i) & 1), bias + 0.5) > 0 ? 1 : 0));
          const problem = { weights, bias: bias + 0.5, inputs, target, n };
          const rule = extractUnitMofN(problem, { clusterDistance, eliminateTolerance: 0, maxCombinations: 4096 });
          const states = unitStates(problem, rule);
          let agree = 0;
          for (let r = 0; r < n; r++) {
            const bits = Array.from({ length: p }, (_, i) => (r >> i) & 1);
            expect(evalVar(rule.expr, bits)).toBe(states[r] === 1);
            if (states[r] === target[r]) agree++;
          }
          expect(rule.agreement).toBeCloseTo(agree / n, 12);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
