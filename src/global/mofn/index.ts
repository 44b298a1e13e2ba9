/** The MofN extractor (Towell & Shavlik 1993): re-exports only. */
export { extractMofN, mofnExtractor, mofnDefaults, MofNOptionsSchema, type MofNOptions } from './mofn.js';
export {
  extractUnitMofN,
  joinClusters,
  unitStates,
  type UnitProblem,
  type UnitOptions,
  type UnitRule,
  type WeightCluster,
  type Literal as UnitLiteral,
} from './mofn-unit.js';
export {
  simplifyExpr,
  negateExpr,
  substituteExpr,
  exprToConjunctions,
  exprToCondition,
  atLeast,
  type MofNExpr,
} from './mofn-expression.js';
