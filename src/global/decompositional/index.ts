/** What the decompositional extractors (cred, deepred, mofn) share: re-exports only. */
export { readDenseNetwork, forwardDense, denseLayerForward, outputClasses } from './dense-network.js';
export { columnCondition, resolveEncoder } from './encoded-columns.js';
export { mergeConjunction } from './merge-conjunction.js';
export { prepareDecomposition, finishDecomposition, listRuleStats, decompositionHoldOut, type Decomposition, type DecompositionOptions } from './decomposition.js';
export { searchBudget, type SearchBudget } from './budget.js';
export { mdlCutPoints } from './mdl-cuts.js';
export { bestSelection, selectRules, selectionRules, type Bound, type Candidate, type Selection } from './select-rules.js';
export { refineThresholds, refineDefaults, type RefineOptions } from './refine-thresholds.js';
