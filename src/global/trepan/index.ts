/** TREPAN (Craven & Shavlik 1996): re-exports only. */
export { extractTrepan, trepanExtractor, TREPAN_DEFAULTS, TrepanOptionsSchema, type TrepanOptions } from './trepan.js';
export {
  candidateLiterals as trepanLiterals,
  findBestTest as findTrepanTest,
  testCondition as trepanTestCondition,
  type Literal as TrepanLiteral,
  type MofNTest as TrepanTest,
  type MofNSearchOptions as TrepanSearchOptions,
} from './mofnSearch.js';
