/** Public API of src/metrics: re-exports only. */
export { bootstrapCi95, bootstrapReplicates, evaluateStatistic, localBootstrap, percentileInterval95, quantileSorted } from './bootstrap.js';
export type { BootstrapStatistic, Bootstrapper, ResampleStatistic } from './bootstrap.js';
export { accuracyScore, macroF1Score } from './classification.js';
export { fidelity, fidelityWith } from './fidelity.js';
export type { ClassFidelity, ClassificationFidelity, FidelityOptions, FidelityReport, RegressionFidelity } from './fidelity.js';
export { meanAbsoluteError, r2Score } from './regression.js';
export { ruleCoverage } from './ruleCoverage.js';
export type { RuleCoverage } from './ruleCoverage.js';
export { fidelitySummary, renderScore, scoreRuleSet, scoreRuleSetWith } from './scoreRuleSet.js';
export type { LabelQuality, Score } from './scoreRuleSet.js';
export { measureFaithfulness, sensitivitySizes, type FaithfulnessItem, type FaithfulnessOptions } from './faithfulness.js';
