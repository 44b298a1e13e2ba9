/**
 * `npm run schema`: writes the JSON Schema of the rule format (generated from src/rules/schema.ts)
 * to rules/ruleset.schema.json. Run it after changing the zod schema, and commit the result.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/util/io.js';
import { RULESET_SCHEMA_PATH, ruleSetJsonSchema } from '../src/rules/jsonSchema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await writeFileAtomic(join(root, RULESET_SCHEMA_PATH), ruleSetJsonSchema());
process.stdout.write(`wrote ${RULESET_SCHEMA_PATH}\n`);
