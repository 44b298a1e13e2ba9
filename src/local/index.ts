/** Public API of src/local: re-exports only. */
export { explainLime, LimeOptionsSchema, type LimeOptions } from './lime/explainLime.js';
export { explainWithData, exponentialKernel, kernelWeights, type KernelFn, type LocalModel, type Neighbourhood, type CoreOptions } from './lime/base.js';
export { selectFeatures, forwardSelection, highestWeights, lassoPath, FEATURE_SELECTIONS, type FeatureSelection } from './lime/selection.js';
export { weightedGram, weightedTarget, ridgeFromMoments, weightedR2, type WeightedGram, type WeightedTarget, type RidgeFit } from './lime/ridge.js';
export { fitDiscretizer, binOf, binCondition, DISCRETIZERS, type DiscretizerKind, type BinnedFeature, type Discretization } from './lime/discretize.js';
export {
  fitLimeTabular,
  prepareInstance,
  sampleNeighbourhood,
  defaultKernelWidth,
  type LimeTabular,
  type PreparedInstance,
  type TabularSample,
  type SampleOptions,
} from './lime/tabular.js';
export {
  ExplanationFile,
  Explanation,
  ExplanationFeature,
  LocalFidelity,
  ExplanationStability,
  EXPLANATION_FORMAT,
  EXPLANATION_VERSION,
  EXPLANATION_SCHEMA_PATH,
  explanationJsonSchema,
  exportExplanations,
  importExplanations,
  type ExplanationT,
  type ExplanationFeatureT,
  type LocalFidelityT,
  type ExplanationStabilityT,
} from './schema.js';
export { renderExplanations, renderExplanation } from './render.js';
export { explainAnchors, anchorTabular, AnchorsOptionsSchema, type AnchorsOptions, type AnchorTabular } from './anchors/explainAnchors.js';
export { anchorBeam, AnchorSearchOptionsSchema, type AnchorSampler, type AnchorSearchOptions, type AnchorResult } from './anchors/beam.js';
export { klBernoulli, klLower, klUpper, lucbBeta } from './anchors/kl.js';
