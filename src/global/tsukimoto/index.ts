/** The Tsukimoto extractor (Tsukimoto 2000): re-exports only. */
export { extractTsukimoto, tsukimotoExtractor, tsukimotoDefaults, TsukimotoOptionsSchema, type TsukimotoOptions } from './tsukimoto.js';
export { unitTerms, dropSubsumed, type Term, type TermLiteral, type UnitVariable, type UnitTermsOptions } from './unit-terms.js';
