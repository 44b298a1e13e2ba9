/**
 * The CART tree learner: fast exact split search over a numeric matrix, for the `cart` extractor
 * and for decompositional extractors that fit trees to hidden activations (CRED, DeepRED).
 *
 * @example
 * const X = rowsToTreeMatrix(rows, schema.features);
 * const tree = fitTree(X, labels, { maxDepth: 5, minSamplesLeaf: 5, criterion: 'entropy' });
 * const surrogate = treeToDecisionTree(tree, classes); // { kind: 'tree', root }
 * const paths = treePaths(tree); // root-to-leaf conjunctions
 */
export type { TreeFeature, TreeMatrix, TreeSplit, TreeNodeData, FittedTree } from './types.js';
export { fitTree, sortColumns, type FitTreeOptions } from './fitTree.js';
export { pruneTree } from './pruneTree.js';
export { raiseSubtrees } from './raiseSubtrees.js';
export { predictTree, treeLeafOf, splitHolds } from './predictTree.js';
export { treePaths, treeSize, mergeEqualLeaves, type TreePath, type TreePathStep } from './treePaths.js';
export { rowsToTreeMatrix } from './rowsToTreeMatrix.js';
export { treeToDecisionTree, splitToCondition } from './treeToDecisionTree.js';
