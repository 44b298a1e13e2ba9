/**
 * Root-to-leaf paths of a fitted tree: the conjunctive rules it stands for (what CRED/DeepRED and
 * rule-list conversions walk).
 */
import type { FittedTree, TreeNodeData, TreeSplit } from './types.js';

/** One step of a path: the node's split and whether the path takes its `yes` side. */
export interface TreePathStep {
  split: TreeSplit;
  holds: boolean;
}

/** A leaf and the tests leading to it. */
export interface TreePath {
  steps: TreePathStep[];
  leaf: TreeNodeData;
}

/**
 * Every root-to-leaf path, leaves in pre-order (`yes` before `no`).
 *
 * @example
 * treePaths(tree).map((p) => [p.steps.length, p.leaf.prediction]);
 */
export function treePaths(tree: FittedTree): TreePath[] {
  const out: TreePath[] = [];
  const walk = (t: TreeNodeData, steps: TreePathStep[]) => {
    if (!t.split) {
      out.push({ steps, leaf: t });
      return;
    }
    walk(t.yes!, [...steps, { split: t.split, holds: true }]);
    walk(t.no!, [...steps, { split: t.split, holds: false }]);
  };
  walk(tree.root, []);
  return out;
}

/** Number of leaves and the depth of a fitted tree. */
export function treeSize(tree: FittedTree): { leaves: number; nodes: number; depth: number } {
  let leaves = 0;
  let nodes = 0;
  let depth = 0;
  const walk = (t: TreeNodeData) => {
    nodes++;
    if (t.depth > depth) depth = t.depth;
    if (!t.split) leaves++;
    else {
      walk(t.yes!);
      walk(t.no!);
    }
  };
  walk(tree.root);
  return { leaves, nodes, depth };
}

/**
 * Merges sibling leaves that predict the same class (classification) bottom-up, which removes
 * splits that change no prediction. Returns a new tree; the input is left as is.
 *
 * @example
 * const smaller = mergeEqualLeaves(tree); // same predictions, fewer leaves
 */
export function mergeEqualLeaves(tree: FittedTree): FittedTree {
  if (tree.task !== 'classification') return tree;
  const walk = (t: TreeNodeData): TreeNodeData => {
    if (!t.split) return { ...t, value: t.value.slice() };
    const yes = walk(t.yes!);
    const no = walk(t.no!);
    if (!yes.split && !no.split && yes.prediction === no.prediction) {
      const { split: _s, yes: _y, no: _n, gain: _g, ...rest } = t;
      // A merged node predicts what both children predicted (its own majority may differ when weighted).
      return { ...rest, value: t.value.slice(), prediction: yes.prediction };
    }
    return { ...t, value: t.value.slice(), yes, no };
  };
  return { ...tree, root: walk(tree.root) };
}
