/** Public API of src/sampling: re-exports only. */
export { fitTrainingStats, sampleGaussian, type TrainingStats, type FeatureStats } from './stats.js';
export { trainingRows, trainingTable, sampleTraining } from './training.js';
export {
  fitMarginals,
  sampleMarginals,
  silvermanBandwidth,
  type Marginals,
  type MarginalFeature,
  type FitMarginalsOptions,
  type SampleMarginalsOptions,
} from './marginals.js';
export {
  normalCdf,
  normalUpper,
  normalQuantile,
  normalMass,
  logNormalMass,
  truncatedNormal,
  truncationTails,
  truncatedNormalFromTails,
  truncatedNormalQuantiles,
} from './normal.js';
export { fitNearby, sampleNearby, type Nearby, type FitNearbyOptions, type SampleNearbyOptions } from './nearby.js';
