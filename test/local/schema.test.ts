import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { EXPLANATION_SCHEMA_PATH, explainLime, explanationJsonSchema, importExplanations, exportExplanations } from '../../src/index.js';
import { ROOT } from '../helpers/cli.js';
import { functionModel, gaussianData } from './helpers.js';

describe('explanation JSON schema', () => {
  it('the committed rules/explanation.schema.json is up to date (regenerate from src/local/schema.ts)', () => {
    expect(readFileSync(join(ROOT, EXPLANATION_SCHEMA_PATH), 'utf8')).toBe(explanationJsonSchema());
  });

  it('validates real explanation files with a standard validator', async () => {
    const data = gaussianData(200, 3, 1);
    const model = functionModel(data.schema.features, (r) => [r[0] as number], { task: 'regression' });
    const file = await explainLime(model, data, data.rows.slice(0, 2), { samples: 200, stability: 2 });
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(JSON.parse(explanationJsonSchema()));
    expect(validate(JSON.parse(exportExplanations(file)))).toBe(true);
  });

  it('import reports the JSON path of a problem', () => {
    expect(() => importExplanations('{"format":"surrogate-distill/explanation","version":3}', 'e.json')).toThrow('e.json: at $.version: unsupported version 3 (this toolkit reads versions 1 and 2)');
    expect(() => importExplanations('{"format":"surrogate-distill/explanation","version":2}', 'e.json')).toThrow(/^e\.json: at \$\.task: /);
    expect(() => importExplanations('{', 'e.json')).toThrow(/^e\.json:1: column 2: invalid JSON: unexpected end of input/);
  });
});
