/** Public API of src/global: re-exports only. */
export type { ExtractContext, Extractor } from './types.js';
export * from './tree/index.js';
export * from './cart/index.js';
export * from './trepan/index.js';
export * from './ann-dt/index.js';
export * from './mofn/index.js';
export * from './cred/index.js';
export * from './tsukimoto/index.js';
export * from './decompositional/index.js';
export { simplifyRuleSet, type SimplifyOptions, type SimplifyResult } from './simplify/simplifyRuleSet.js';
export { extractors, extractRules, extractorNames, extractorApplies, type Applicability } from './registry.js';
export { holdOutRows, labelRows, assembleRuleSet, finishRuleSet, holdOutOption, type HeldOut, type RuleSetParts } from './common.js';
export { pedagogical, type PedagogicalSample, type PedagogicalFit } from './pedagogical.js';
