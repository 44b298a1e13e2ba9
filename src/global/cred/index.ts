/** CRED and DeepRED, and the decompositional plumbing mofn shares: re-exports only. */
export { extractCred, extractDeepRed, credExtractor, deepredExtractor, credDefaults, type CredOptions } from './cred.js';
export { readDenseNetwork, forwardDense, denseLayerForward, outputClasses } from './dense-network.js';
export { encodedColumns, columnCondition, resolveEncoder, type EncodedColumn } from './encoded-columns.js';
export { mergeConjunction } from './merge-conjunction.js';
export { prepareDecomposition, finishDecomposition, marginalSamples, type Decomposition, type DecompositionOptions } from './decomposition.js';
