/** Public API of src/rules: re-exports only (schema.ts, evaluate.ts and provenance.ts are re-exported by src/index.ts). */
export { computeDataStats, computeRuleStats, ruleFigures, type RuleFigures } from './computeRuleStats.js';
export { alignRuleSetRows } from './alignRuleSetRows.js';
export { atomicCount, countRules } from './countRules.js';
export type { RuleCounts } from './countRules.js';
export { checkRuleSet, checkRuleSetAgainst, DEFAULT_MAX_RULES_BYTES, exportRuleSet, importRuleSet, loadRuleSet, parseRuleSet, readRuleSetText, ruleSetLimits, SUPPORTED_RULES_VERSIONS, validateRuleSet } from './io.js';
export type { RuleSetIssue, RuleSetValidation } from './io.js';
export { RULESET_SCHEMA_PATH, ruleSetJsonSchema } from './jsonSchema.js';
export { formatNumber, renderCondition, renderDecision, renderRule, renderRuleSet, ruleSetCaveats } from './render.js';
export type { RenderOptions } from './render.js';
export { negateCondition } from './negateCondition.js';
export { treeToRuleList } from './treeToRuleList.js';
export { forEachAtomic, forEachCondition, forEachOutput, mapConditions, ruleSetFeatures } from './walk.js';
export { snapCondition, snapIntegerThresholds } from './integerThresholds.js';
