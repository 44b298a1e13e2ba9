/** ANN-DT (Schmitz, Aldrich & Gouws 1999): re-exports only. */
export { extractAnnDt, annDtExtractor, ANN_DT_DEFAULTS, AnnDtOptionsSchema, type AnnDtOptions } from './annDt.js';
export { inputSignificance, type SignificanceOptions } from './sensitivity.js';
