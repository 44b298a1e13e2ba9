import { describe, expect, it } from 'vitest';
import {
  createTabularModel,
  extractCred,
  extractDeepRed,
  extractRules,
  httpBlackBox,
  loadDataset,
  predictLabels,
  renderRuleSet,
  validateRuleSet,
  type ConditionT,
  type EncoderJSON,
  type RuleSet,
} from '../../../src/index.js';
import { trainedModel } from '../../helpers/trained.js';
import { denseModel, encoderFor, layer } from '../decompositional/dense-model.js';

function conditionsOf(rs: RuleSet): ConditionT[] {
  if (rs.surrogate.kind !== 'list') throw new Error('expected a decision list');
  const flat = (c: ConditionT): ConditionT[] => (c.type === 'mofn' ? c.conditions.flatMap(flat) : [c]);
  return rs.surrogate.rules.flatMap((r) => r.conditions.flatMap(flat));
}

/** Encoded (standardised) value of raw `x` for numeric feature `name`. */
function z(enc: EncoderJSON, name: string, x: number): number {
  const f = enc.features.find((g) => g.name === name)!;
  if (f.type !== 'numeric') throw new Error('numeric expected');
  return (x - f.mean) / f.std;
}

/** One hidden layer of sigmoids for iris: petal_length > 2.45, petal_width > 1.75, plus a distractor unit. */
async function irisNetwork() {
  const ds = await loadDataset('builtin:iris');
  const enc = encoderFor(ds);
  const k = 8;
  const cols = enc.features.map((f) => f.name); // sepal_length, sepal_width, petal_length, petal_width
  const w = cols.map((c) => [c === 'petal_length' ? k : 0, c === 'petal_width' ? k : 0, c === 'sepal_width' ? 0.5 : 0.1]);
  const hidden = layer(w, [-k * z(enc, 'petal_length', 2.45), -k * z(enc, 'petal_width', 1.75), 0], 'sigmoid');
  const output = layer(
    [
      [-2 * k, k, 0],
      [0, -2 * k, 2 * k],
      [0, 0, 0],
    ],
    [2 * k, 0, -k / 2],
    'softmax',
  );
  return { ds, enc, model: denseModel({ layers: [hidden, output] }, enc) };
}

/** Two hidden layers for XOR of x0 > 0.5 and x1 > 0.5 (identity encoder: inputs in [0, 1]). */
async function xorNetwork(n = 600) {
  const ds = await loadDataset(`builtin:xor?n=${n}&seed=3`);
  const { fitEncoder } = await import('../../../src/data/index.js');
  const enc = fitEncoder(ds, { standardize: false });
  const k = 20;
  const w1 = Array.from({ length: 10 }, (_, i) => [i === 0 ? k : 0.05, i === 1 ? k : -0.05]);
  const l1 = layer(w1, [-k / 2, -k / 2], 'sigmoid');
  const l2 = layer(
    [
      [k, k],
      [k, k],
    ],
    [-k / 2, -1.5 * k],
    'tanh',
  );
  const out = layer(
    [
      [0, k],
      [0, -k],
    ],
    [0, -k],
    'softmax',
  );
  return { ds, enc, model: denseModel({ layers: [l1, l2, out] }, enc) };
}

describe('cred', () => {
  it('reads a one-hidden-layer iris network as thresholds on the petal columns in raw units', async () => {
    const { ds, model } = await irisNetwork();
    const rs = await extractCred({ model, data: ds, seed: 5 });
    const conds = conditionsOf(rs);
    expect(conds.length).toBeGreaterThan(0);
    for (const c of conds) {
      expect(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']).toContain((c as { feature: string }).feature);
      expect(['le', 'gt', 'interval']).toContain(c.type);
    }
    const labels = await model.predictLabels(ds.rows);
    const agree = [...predictLabels(rs, ds.rows)].filter((y, i) => y === labels[i]).length / ds.rows.length;
    expect(agree).toBeGreaterThanOrEqual(0.95);
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.9);
    expect(rs.provenance).toMatchObject({ method: 'cred', seed: 5, samples: 120 });
    expect(validateRuleSet(JSON.parse(JSON.stringify(rs))).ok).toBe(true);
    // the thresholds come back in raw units (the network saw standardised inputs)
    const thresholds = conds.flatMap((c) => (c.type === 'le' || c.type === 'gt' ? [`${c.feature} ${c.threshold}`] : []));
    expect(thresholds).toContain('petal_length 2.45');
    expect(thresholds).toContain('petal_width 1.75');
  });

  it('reaches a good fidelity on a trained one-hidden-layer ReLU network for iris', async () => {
    const ds = await loadDataset('builtin:iris');
    const { model } = await trainedModel('builtin:iris', { hidden: [8], epochs: 120, seed: 1 });
    const rs = await extractRules('cred', { model, data: ds, seed: 1 });
    const labels = await model.predictLabels(ds.rows);
    const agree = [...predictLabels(rs, ds.rows)].filter((y, i) => y === labels[i]).length / ds.rows.length;
    expect(agree).toBeGreaterThanOrEqual(0.9);
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.9);
    const names = new Set(ds.schema.features.map((f) => f.name));
    for (const c of conditionsOf(rs)) expect(names.has((c as { feature: string }).feature)).toBe(true);
    console.log(`iris relu [8] cred: fidelity all=${agree.toFixed(4)} held-out=${rs.fidelity!.value.toFixed(4)} rules=${rs.surrogate.kind === 'list' ? rs.surrogate.rules.length : '?'}`);
  });

  it('is deterministic for a seed', async () => {
    const { ds, model } = await irisNetwork();
    const a = await extractCred({ model, data: ds, seed: 9 }, { samples: 50 });
    const b = await extractCred({ model, data: ds, seed: 9 }, { samples: 50 });
    expect(JSON.stringify({ ...a, provenance: { ...a.provenance, createdAt: '' } })).toBe(JSON.stringify({ ...b, provenance: { ...b.provenance, createdAt: '' } }));
  });

  it('checks its options', async () => {
    const { ds, model } = await irisNetwork();
    await expect(extractCred({ model, data: ds, seed: 1 }, { maxDepth: 0 })).rejects.toThrow('cred: option maxDepth must be an integer >= 1, got 0');
    await expect(extractCred({ model, data: ds, seed: 1 }, { depth: 3 } as never)).rejects.toThrow(/cred: unknown option "depth"/);
  });

  it('says a model without readable weights needs a pedagogical method', async () => {
    const { ds, enc, model } = await irisNetwork();
    const fn = createTabularModel({ ...model.blackBox, denseNetwork: undefined }, enc);
    await expect(extractCred({ model: fn, data: ds, seed: 1 })).rejects.toThrow(
      "cred needs the network's weights; function models do not expose them: use a pedagogical method (cart, trepan)",
    );
    const bb = await httpBlackBox('http://127.0.0.1:9/v1/models/m:predict', { inputSize: enc.inputSize, outputSize: 3, task: 'classification', retries: 0 });
    await expect(extractDeepRed({ model: createTabularModel(bb, enc), data: ds, seed: 1 })).rejects.toThrow(
      "deepred needs the network's weights; http models do not expose them: use a pedagogical method (cart, trepan)",
    );
  });

  it('needs the encoder the model was trained with', async () => {
    const { ds, enc, model } = await irisNetwork();
    // other rows standardise differently: no encoder fitted to them reproduces the model
    const part = { ...ds, rows: ds.rows.slice(0, 60), target: ds.target!.slice(0, 60) };
    const { encoder: _own, ...withoutEncoder } = model;
    await expect(extractCred({ model: withoutEncoder, data: part, seed: 1 })).rejects.toThrow(
      'cred: cannot tell how the model encodes its inputs (no encoder fitted to these data reproduces its outputs): give the data the model was trained on',
    );
    // a model that carries its encoder is read with it
    const withEncoder = Object.assign(Object.create(null), model, { encoder: enc });
    const rs = await extractCred({ model: withEncoder, data: part, seed: 1 });
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.9);
  });

  it('refuses a network without a hidden layer', async () => {
    const ds = await loadDataset('builtin:iris');
    const enc = encoderFor(ds);
    const model = denseModel({ layers: [layer([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]], [0, 0, 0], 'softmax')] }, enc);
    await expect(extractDeepRed({ model, data: ds, seed: 1 })).rejects.toThrow('deepred needs a network with a hidden layer; this one has none: use cart or trepan');
  });

  it('refuses a deeper network, pointing to deepred', async () => {
    const { ds, model } = await xorNetwork(100);
    await expect(extractCred({ model, data: ds, seed: 1 })).rejects.toThrow(/cred handles networks with one hidden layer; this one has 2: use deepred/);
  });
});

describe('deepred', () => {
  it('reads a two-hidden-layer XOR network as rules on x0 and x1', async () => {
    const { ds, model } = await xorNetwork();
    const rs = await extractDeepRed({ model, data: ds, seed: 2 });
    const conds = conditionsOf(rs);
    const used = new Set(conds.map((c) => (c as { feature: string }).feature));
    expect([...used].sort()).toEqual(['x0', 'x1']);
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.9);
  });

  it('reaches a good fidelity on a trained two-hidden-layer network', async () => {
    const ds = await loadDataset('builtin:iris');
    const { model } = await trainedModel('builtin:iris', { hidden: [8, 4], epochs: 120, seed: 1 });
    const rs = await extractRules('deepred', { model, data: ds, seed: 1 });
    const labels = await model.predictLabels(ds.rows);
    const agree = [...predictLabels(rs, ds.rows)].filter((y, i) => y === labels[i]).length / ds.rows.length;
    expect(agree).toBeGreaterThanOrEqual(0.9);
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.9);
    const names = new Set(ds.schema.features.map((f) => f.name));
    for (const c of conditionsOf(rs)) expect(names.has((c as { feature: string }).feature)).toBe(true);
    console.log(`iris relu [8,4] deepred: fidelity all=${agree.toFixed(4)} held-out=${rs.fidelity!.value.toFixed(4)} rules=${rs.surrogate.kind === 'list' ? rs.surrogate.rules.length : '?'}`);
  });

  it('maps one-hot columns back to feature = category', async () => {
    // MONK-1 (head_shape = body_shape OR jacket_color = 1) by a tanh network trained briefly
    const ds = await loadDataset('builtin:monk1');
    const { model } = await trainedModel('builtin:monk1', { hidden: [6, 3], activation: 'tanh', epochs: 60, learningRate: 0.05, validationSplit: 0, seed: 2 });
    const rs = await extractDeepRed({ model, data: ds, seed: 2 });
    const conds = conditionsOf(rs);
    expect(conds.length).toBeGreaterThan(0);
    for (const c of conds) expect(['eq', 'neq', 'in', 'notIn']).toContain(c.type);
    expect(conds.some((c) => c.type === 'eq' && c.feature === 'jacket_color' && c.value === '1')).toBe(true);
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.9);
    console.log(`monk1 tanh [6,3] deepred: held-out=${rs.fidelity!.value.toFixed(4)} rules=${rs.surrogate.kind === 'list' ? rs.surrogate.rules.length : '?'}`);
  });
});

describe('deepred budget', () => {
  it('stops at the time budget, keeps a valid rule set and says what was cut', async () => {
    const { ds, model } = await xorNetwork(300);
    const rs = await extractDeepRed({ model, data: ds, seed: 1 }, { maxSeconds: 1e-6 });
    expect(validateRuleSet(JSON.parse(JSON.stringify(rs))).ok).toBe(true);
    expect(rs.provenance.options.budgetCut).toMatch(/^time: [\d.]+ s into the 0.000001 s budget \(maxSeconds\), (\d+) of the \1 conjunctions on layer 2 were left out$/);
    expect(renderRuleSet(rs)).toMatch(/\nNote: the search was cut by its budget \(time: /);
    // nothing was cut without the budget
    const full = await extractDeepRed({ model, data: ds, seed: 1 });
    expect(full.provenance.options.budgetCut).toBeNull();
    expect(renderRuleSet(full)).not.toContain('Note:');
  });

  it('bounds the list by maxRules and says what the bound costs on the sample', async () => {
    const { ds, model } = await irisNetwork();
    const rs = await extractDeepRed({ model, data: ds, seed: 1 }, { maxRules: 1 });
    expect(rs.surrogate.kind === 'list' && rs.surrogate.rules.length).toBe(1);
    expect(rs.provenance.options.budgetCut).toMatch(/^size: the list stops at 1 rule \(maxRules\) with sample fidelity 0\.\d{3}; 2 rules would reach [01]\.\d{3}$/);
  });

  it('reports progress layer by layer', async () => {
    const { ds, model } = await xorNetwork(300);
    const seen: string[] = [];
    await extractDeepRed({ model, data: ds, seed: 1, progress: (done, total, label) => seen.push(`${label} ${done}/${total}`) });
    const labels = [...new Set(seen.map((s) => s.replace(/ \d+\/\d+$/, '')))];
    expect(labels.slice(0, 3)).toEqual(['deepred layer 2', 'deepred layer 1', 'deepred inputs']);
    // done/total per layer, ending at total
    expect(seen.at(-2)).toMatch(/^deepred inputs (\d+)\/\1$/);
  });

  it('fits its trees on a seeded subset of a large sample (treeRows), counting every row', async () => {
    const { ds, model } = await xorNetwork(600);
    const rs = await extractDeepRed({ model, data: ds, seed: 2 }, { treeRows: 200 });
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.9);
    // rule supports count the whole extraction sample (480 rows), not the 200 the trees saw
    const support = rs.surrogate.kind === 'list' ? rs.surrogate.rules.reduce((s, r) => s + r.stats!.support, 0) : 0;
    expect(support).toBeGreaterThan(200);
  });
});
