/** Public API of src/local: re-exports only. */
export { localExplainers, localExplainerNames, localExplainer, checkExplainer, modelOffers } from './registry.js';
export type { LocalExplainer, LocalContext, LocalMethod, MethodResult, ModelNeed } from './types.js';
export {
  explainRows,
  explainBatch,
  explainHere,
  prepareContext,
  prepareShared,
  splitBatches,
  defaultRowsPerBatch,
  baselineRow,
  BACKGROUND_ROWS,
  FAITHFULNESS_SUBSETS,
  type ExplainInput,
  type BaselineSpec,
  type ExplainJob,
  type RowBatch,
  type BatchResult,
  type MethodBatchResult,
  type BatchRunner,
  type SharedContext,
} from './run.js';
export { optionInfo, optionFlag, explainerFlags, parseMethodOptions, flagKey, type OptionInfo } from './options.js';
export { explainLime, limeMethod, type LimeOptions } from './lime/explainLime.js';
export { LimeOptionsSchema } from './lime/options.js';
export { AnchorsOptionsSchema } from './anchors/options.js';
export { shapMethod, type ShapOptions } from './shap/explainShap.js';
export { ShapOptionsSchema, defaultShapSamples, minimumShapSamples } from './shap/options.js';
export { planCoalitions, coalitionCount, type CoalitionPlan } from './shap/coalitions.js';
export { constrainedKernelSolve } from './shap/solve.js';
export { occlusionMethod, type OcclusionOptions } from './occlusion/explainOcclusion.js';
export { OcclusionOptionsSchema } from './occlusion/options.js';
export {
  summarizeExplanations,
  importanceJsonSchema,
  exportImportance,
  importImportance,
  ImportanceFile,
  ColumnImportance,
  MethodImportance,
  IMPORTANCE_FORMAT,
  IMPORTANCE_VERSION,
  IMPORTANCE_SCHEMA_PATH,
  type ColumnImportanceT,
  type MethodImportanceT,
  type SummarizeOptions,
} from './importance.js';
export { SaliencyOptionsSchema } from './saliency/options.js';
export { GradientInputOptionsSchema } from './gradient-input/options.js';
export { IntegratedGradientsOptionsSchema, type IntegratedGradientsOptions } from './integrated-gradients/options.js';
export { SmoothGradOptionsSchema, type SmoothGradOptions } from './smoothgrad/options.js';
export { DeepLiftOptionsSchema } from './deeplift/options.js';
export { LrpOptionsSchema, type LrpOptions } from './lrp/options.js';
export { attributionExplanation, completenessGap } from './explanation.js';
export { encodeInputs, timesDifference, columnGradients, gradientsFor, type EncodedInputs } from './gradient/encoded.js';
export { rescaleLayer, rescaleRatio } from './dense/rescale.js';
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
  Attribution,
  ConditionWeight,
  Faithfulness,
  LocalFidelity,
  LocalSurrogate,
  ExplanationStability,
  EXPLANATION_FORMAT,
  EXPLANATION_VERSION,
  EXPLANATION_SCHEMA_PATH,
  explanationJsonSchema,
  exportExplanations,
  importExplanations,
  type ExplanationT,
  type AttributionT,
  type ConditionWeightT,
  type FaithfulnessT,
  type LocalFidelityT,
  type LocalSurrogateT,
  type ExplanationStabilityT,
} from './schema.js';
export { renderExplanations, renderExplanation, renderImportance, faithfulnessText, type RenderExplanationOptions } from './render.js';
export { explainAnchors, anchorsMethod, ExplainAnchorsOptionsSchema, type AnchorsOptions } from './anchors/explainAnchors.js';
export { anchorTabular, type AnchorTabular } from './anchors/tabular.js';
export { ANCHOR_SAMPLERS } from './anchors/options.js';
export { anchorBeam, AnchorSearchOptionsSchema, type AnchorSampler, type AnchorSearchOptions, type AnchorResult } from './anchors/beam.js';
export { klBernoulli, klLower, klUpper, lucbBeta } from './anchors/kl.js';
