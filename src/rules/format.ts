/**
 * The rule file format's tag and version, apart from the zod schemas so that readers of rule files
 * can check them without loading zod.
 */
export const RULES_FORMAT = 'surrogate-distill/rules' as const;
export const RULES_VERSION = 1 as const;
