import { describe, expect, it } from 'vitest';
import { createRng, extractMofN, fitEncoder, loadDataset, renderRuleSet, type ConditionT, type Dataset } from '../../../src/index.js';
import { denseModel, layer } from '../decompositional/dense-model.js';

/**
 * The network of the concept over standardised inputs: hidden unit i is a steep sigmoid step at
 * x_i = 0.5 (with small weights on every other input), the output counts them against 1.5.
 */
function twoOfFiveNetwork(ds: Dataset) {
  const enc = fitEncoder(ds);
  const rng = createRng(5);
  const k = 100;
  const stats = enc.features.map((f) => (f.type === 'numeric' ? f : null)!);
  const w = stats.map((_, j) => Array.from({ length: 5 }, (_, u) => (u === j ? k * stats[j].std : 0.2 * rng.normal())));
  const b = Array.from({ length: 5 }, (_, u) => -k * stats[u].std * ((0.5 - stats[u].mean) / stats[u].std));
  const hidden = layer(w, b, 'sigmoid');
  const output = layer(Array.from({ length: 5 }, () => [0, 10]), [0, -15], 'softmax');
  return denseModel({ layers: [hidden, output] }, enc);
}

describe('mofn on numeric inputs', () => {
  it('reads "at least 2 of x0..x4 above 0.5" as one M-of-N test with thresholds at 0.5', async () => {
    const data = await loadDataset('builtin:mofn?n=1500&seed=3');
    const model = twoOfFiveNetwork(data);
    const rs = await extractMofN({ model, data, seed: 1 });
    if (rs.surrogate.kind !== 'list') throw new Error('list expected');
    expect(rs.surrogate.rules).toHaveLength(1);
    const [rule] = rs.surrogate.rules;
    expect(rule.output).toEqual({ class: '1' });
    expect(rs.surrogate.default).toEqual({ class: '0' });
    expect(rule.conditions).toHaveLength(1);
    const test = rule.conditions[0] as Extract<ConditionT, { type: 'mofn' }>;
    expect(test.type).toBe('mofn');
    expect(test.m).toBe(2);
    expect(test.conditions.map((c) => (c.type === 'gt' ? c.feature : c.type))).toEqual(['x0', 'x1', 'x2', 'x3', 'x4']);
    for (const c of test.conditions) expect(Math.abs((c as { threshold: number }).threshold - 0.5)).toBeLessThan(0.02);
    expect(renderRuleSet(rs)).toMatch(/^IF AT LEAST 2 OF \(x0 > 0\.5\d*, x1 > 0\.\d+, x2 > 0\.\d+, x3 > 0\.\d+, x4 > 0\.\d+\) THEN 1/m);
    expect(rs.fidelity!.value).toBeGreaterThanOrEqual(0.97);
  });

  it('cuts a column no unit is a threshold on at MDL cut points against the network', async () => {
    // one sigmoid unit over x0 + x1 (neither dominates): both columns are cut from the data
    const data = await loadDataset('builtin:mofn?n=800&seed=4');
    const enc = fitEncoder(data);
    const w = enc.features.map((_, j) => [j < 2 ? 4 : 0]);
    const model = denseModel({ layers: [layer(w, [0], 'sigmoid'), layer([[0, 12]], [0, -6], 'softmax')] }, enc);
    const rs = await extractMofN({ model, data, seed: 2 });
    const features = new Set<string>();
    const walk = (c: ConditionT): void => (c.type === 'mofn' ? c.conditions.forEach(walk) : void features.add(c.feature));
    if (rs.surrogate.kind === 'list') rs.surrogate.rules.forEach((r) => r.conditions.forEach(walk));
    expect([...features].sort()).toEqual(['x0', 'x1']);
    expect(rs.fidelity!.value).toBeGreaterThan(0.85);
  });
});
