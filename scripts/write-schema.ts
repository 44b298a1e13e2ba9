/**
 * `npm run schema`: writes the JSON Schemas generated from the zod sources — the rule format
 * (src/rules/schema.ts → rules/ruleset.schema.json), the explanation format
 * (src/local/schema.ts → rules/explanation.schema.json) and the importance format
 * (src/local/importance.ts → rules/importance.schema.json), and the validator that reading a rule
 * file uses, generated from the rule format's JSON Schema (scripts/rules-validator.ts →
 * src/rules/ruleset.validate.generated.ts). Run it after changing a zod schema, and
 * commit the result; tests fail while a committed schema is stale.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/util/io.js';
import { RULESET_SCHEMA_PATH, ruleSetJsonSchema } from '../src/rules/jsonSchema.js';
import { EXPLANATION_SCHEMA_PATH, explanationJsonSchema } from '../src/local/schema.js';
import { IMPORTANCE_SCHEMA_PATH, importanceJsonSchema } from '../src/local/importance.js';
import { RULESET_VALIDATOR_PATH, ruleSetValidatorSource } from './rules-validator.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const [path, text] of [
  [RULESET_SCHEMA_PATH, ruleSetJsonSchema()],
  [EXPLANATION_SCHEMA_PATH, explanationJsonSchema()],
  [IMPORTANCE_SCHEMA_PATH, importanceJsonSchema()],
  [RULESET_VALIDATOR_PATH, ruleSetValidatorSource(ruleSetJsonSchema())],
] as const) {
  await writeFileAtomic(join(root, path), text);
  process.stdout.write(`wrote ${path}\n`);
}
