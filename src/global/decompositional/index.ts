/** What the decompositional extractors (cred, deepred, mofn) share: re-exports only. */
export { readDenseNetwork, forwardDense, denseLayerForward, outputClasses } from './dense-network.js';
export { columnCondition, resolveEncoder } from './encoded-columns.js';
export { mergeConjunction } from './merge-conjunction.js';
export { prepareDecomposition, finishDecomposition, listRuleStats, decompositionHoldOut, type Decomposition, type DecompositionOptions } from './decomposition.js';
export { searchBudget, type SearchBudget } from './budget.js';
