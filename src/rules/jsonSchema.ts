/**
 * The published JSON Schema of the rule format, generated from the zod schemas in `schema.ts`
 * (the single source of truth) with zod's own `z.toJSONSchema`.
 */
import { z } from 'zod';
import { RuleSetFile } from './schema.js';

/** Where the schema is committed, relative to the package root. */
export const RULESET_SCHEMA_PATH = 'rules/ruleset.schema.json';

/**
 * JSON Schema (draft 2020-12) of a rule set file, as deterministic text (2-space indent, final
 * newline). `npm run schema` writes it to `rules/ruleset.schema.json`; a test fails when the
 * committed copy is stale.
 *
 * @example
 * const schema = JSON.parse(ruleSetJsonSchema()); // validate rule files with any standard validator (e.g. ajv 2020)
 */
export function ruleSetJsonSchema(): string {
  const schema = z.toJSONSchema(RuleSetFile, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  const withId = {
    $schema: schema.$schema,
    title: 'surrogate-distill rule set',
    ...schema,
  };
  return JSON.stringify(withId, null, 2) + '\n';
}
