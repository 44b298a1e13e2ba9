import { describe, expect, it } from 'vitest';
import {
  countRules,
  encodedNames,
  extractRules,
  extractTsukimoto,
  loadDataset,
  predictLabels,
  unitTerms,
  validateRuleSet,
  type ConditionT,
  type RuleSet,
} from '../../../src/index.js';
import type { Dataset } from '../../../src/data/types.js';
import { denseModel, encoderFor, layer } from '../decompositional/dense-model.js';

/** Saturating weight: every unit below is an exact Boolean function of its inputs on 0/1 codes. */
const K = 12;

/**
 * A hand-written network for MONK-1 ("head_shape = body_shape OR jacket_color = 1") whose units
 * are exact Boolean functions of the one-hot inputs: unit k (k = 1..3) is
 * `head_shape = k AND body_shape = k`, unit 4 is `jacket_color = 1`, and the output unit is the OR
 * of the four.
 */
async function monk1Network() {
  const ds = await loadDataset('builtin:monk1');
  const enc = encoderFor(ds);
  const names = encodedNames(enc);
  const at = (name: string) => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`no input ${name} in ${names.join(', ')}`);
    return i;
  };
  const w = names.map(() => [0, 0, 0, 0]);
  for (const k of [1, 2, 3]) {
    w[at(`head_shape=${k}`)][k - 1] = K;
    w[at(`body_shape=${k}`)][k - 1] = K;
  }
  w[at('jacket_color=1')][3] = K;
  const hidden = layer(w, [-1.5 * K, -1.5 * K, -1.5 * K, -0.5 * K], 'sigmoid');
  // softmax over (class 0, class 1): class 1 wins iff at least one hidden unit is on
  const output = layer([[0, K], [0, K], [0, K], [0, K]], [0, -0.5 * K], 'softmax');
  return { ds, model: denseModel({ layers: [hidden, output] }, enc) };
}

/**
 * A two-layer network over the two-valued columns of MONK-1 with exact Boolean units:
 * unit 1 = `is_smiling = 1 AND NOT has_tie = 1`, unit 2 = `NOT is_smiling = 1 AND has_tie = 1`,
 * output = unit 1 OR unit 2 (exclusive or).
 */
async function xorNetwork(ds: Dataset) {
  const enc = encoderFor(ds);
  const names = encodedNames(enc);
  const w = names.map(() => [0, 0]);
  w[names.indexOf('is_smiling=1')] = [K, -K];
  w[names.indexOf('has_tie=1')] = [-K, K];
  const hidden = layer(w, [-0.5 * K, -0.5 * K], 'sigmoid');
  const output = layer([[0, K], [0, K]], [0, -0.5 * K], 'softmax');
  return denseModel({ layers: [hidden, output] }, enc);
}

const key = (c: ConditionT) => JSON.stringify(c);

function rulesOf(rs: RuleSet): { conditions: ConditionT[]; output: string }[] {
  if (rs.surrogate.kind !== 'list') throw new Error('expected a decision list');
  return rs.surrogate.rules.map((r) => ({ conditions: r.conditions, output: (r.output as { class: string }).class }));
}

function agreement(rs: RuleSet, ds: Dataset, labels: ArrayLike<number>, classes: string[]): number {
  const pred = predictLabels(rs, ds.rows);
  let a = 0;
  pred.forEach((p, i) => (a += classes[labels[i]] === String(p) ? 1 : 0));
  return a / ds.rows.length;
}

describe('unitTerms', () => {
  it('reads a saturated AND / OR unit as its Boolean function', () => {
    const bit = { contributions: [0, 10], negations: false };
    const opts = { maxOrder: 3, maxTerms: 100, maxLiterals: 24 };
    expect(unitTerms([bit, bit], -15, true, opts)).toEqual([[{ v: 0, values: [1] }, { v: 1, values: [1] }]]);
    expect(unitTerms([bit, bit], -5, true, opts)).toEqual([[{ v: 0, values: [1] }], [{ v: 1, values: [1] }]]);
    // the negation of the OR: both off
    expect(unitTerms([bit, bit], -5, false, opts)).toEqual([[{ v: 0, values: [0] }, { v: 1, values: [0] }]]);
  });
});

describe('tsukimoto on a network whose units are exact Boolean functions', () => {
  it('recovers MONK-1 as its four conjunctions, with fidelity 1 on every row', async () => {
    const { ds, model } = await monk1Network();
    const labels = await model.predictLabels(ds.rows);
    const classes = (model.schema.target as { classes: string[] }).classes;
    const truth = ds.target!.map((t) => classes.indexOf(String(t)));
    expect([...labels]).toEqual(truth); // the hand-written network computes MONK-1 exactly

    const rs = await extractTsukimoto({ model, data: ds, seed: 1 }, {});
    expect(validateRuleSet(rs).ok).toBe(true);
    expect(rs.provenance.method).toBe('tsukimoto');
    expect(rs.fidelity!.value).toBe(1);
    expect(agreement(rs, ds, labels, classes)).toBe(1);
    const rules = rulesOf(rs);
    expect(rules.every((r) => r.output === '1')).toBe(true);
    expect((rs.surrogate as { default: { class: string } }).default.class).toBe('0');
    // exactly the concept's four terms, in any order
    const expected = [
      ...[1, 2, 3].map((k) => [
        { type: 'eq', feature: 'head_shape', value: String(k) },
        { type: 'eq', feature: 'body_shape', value: String(k) },
      ]),
      [{ type: 'eq', feature: 'jacket_color', value: '1' }],
    ];
    const norm = (cs: object[]) => cs.map((c) => JSON.stringify(c)).sort().join(' AND ');
    expect(rules.map((r) => norm(r.conditions)).sort()).toEqual(expected.map(norm).sort());
    expect(countRules(rs)).toMatchObject({ rules: 4, conditions: 7 });
    expect(rs.simplification?.note).toBeUndefined();
  });

  it('composes negated units through a hidden layer (exclusive or of two columns)', async () => {
    const ds = await loadDataset('builtin:monk1');
    const model = await xorNetwork(ds);
    const labels = await model.predictLabels(ds.rows);
    const classes = (model.schema.target as { classes: string[] }).classes;
    const rs = await extractRules('tsukimoto', { model, data: ds, seed: 3 }, { domain: 'all' });
    expect(agreement(rs, ds, labels, classes)).toBe(1);
    const rules = rulesOf(rs);
    expect(rules).toHaveLength(2);
    for (const r of rules) {
      expect(r.conditions.map((c) => (c as { feature: string }).feature).sort()).toEqual(['has_tie', 'is_smiling']);
      expect(new Set(r.conditions.map(key)).size).toBe(2);
    }
  });

  it('says so when the terms allowed cannot express a unit ("at least 2 of 6" from terms of one literal)', async () => {
    const ds = await loadDataset('builtin:monk1');
    const enc = encoderFor(ds);
    const names = encodedNames(enc);
    const unit = layer(names.map((n) => [n.endsWith('=1') ? K : 0]), [-1.5 * K], 'sigmoid');
    const model = denseModel({ layers: [unit, layer([[0, K]], [0, -0.5 * K], 'softmax')] }, enc);
    const rs = await extractTsukimoto({ model, data: ds, seed: 1 }, { maxOrder: 1, domain: 'all' });
    expect(rs.simplification?.note).toMatch(/^the units' Boolean functions \(terms up to order 1, at most 40 per unit\) agree with the network on only 0\.\d+ of the extraction sample/);
    // with terms of two literals the unit is exact
    const exact = await extractTsukimoto({ model, data: ds, seed: 1 }, { maxOrder: 2, domain: 'all', maxRules: 20, maxConditions: 60 });
    expect(exact.simplification?.before.fidelity).toBe(1);
  });

  it('is deterministic for a seed', async () => {
    const { ds, model } = await monk1Network();
    const a = await extractTsukimoto({ model, data: ds, seed: 5 }, {});
    const b = await extractTsukimoto({ model, data: ds, seed: 5 }, {});
    expect(JSON.stringify(a.surrogate)).toBe(JSON.stringify(b.surrogate));
  });

  it('refuses ReLU hidden units with one clear message', async () => {
    const ds = await loadDataset('builtin:monk1');
    const enc = encoderFor(ds);
    const n = encodedNames(enc).length;
    const relu = denseModel({ layers: [layer(Array.from({ length: n }, () => [1]), [0], 'relu'), layer([[1, -1]], [0, 0], 'softmax')] }, enc);
    await expect(extractTsukimoto({ model: relu, data: ds, seed: 1 })).rejects.toThrow(/sigmoid or tanh.*relu/);
  });
});
