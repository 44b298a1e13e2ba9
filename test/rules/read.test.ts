/**
 * Reading rule files without zod: the validator generated from the JSON Schema accepts exactly
 * what the zod schemas accept, and reading gives the same value or the same issues either way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRuleSet, exportRuleSet, parseRuleSet, RULESET_SCHEMA_PATH, validateRuleSet } from '../../src/index.js';
import { matchesRuleSetSchema } from '../../src/rules/ruleset.validate.generated.js';
import { RuleSetFile } from '../../src/rules/schema.js';
import { RULESET_VALIDATOR_PATH, ruleSetValidatorSource } from '../../scripts/rules-validator.js';
import { ROOT } from '../helpers/cli.js';
import { irisList } from './fixtures.js';

const examples = ['iris-trepan.json'].map((f) => JSON.parse(readFileSync(join(ROOT, 'rules', 'examples', f), 'utf8')) as unknown);

/** Every path to a value in `json` (object keys and array indices). */
function paths(json: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (json === null || typeof json !== 'object') return [at];
  const kids = Array.isArray(json) ? json.map((v, i) => paths(v, [...at, i])) : Object.entries(json).map(([k, v]) => paths(v, [...at, k]));
  return [at, ...kids.flat()];
}

/** A copy of `json` with the value at `path` replaced (`undefined`: removed). */
function withValue(json: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(json) as Record<string | number, unknown>;
  if (!path.length) return value;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(o)) o.splice(last as number, 1);
    else delete o[last];
  } else o[last] = value;
  return copy;
}

const REPLACEMENTS: unknown[] = [undefined, null, 'le', '', -1, 0.5, 1e300, [], {}];

describe('the generated rule set validator', () => {
  it('the committed src/rules/ruleset.validate.generated.ts is up to date (run npm run schema)', () => {
    const committed = readFileSync(join(ROOT, RULESET_VALIDATOR_PATH), 'utf8');
    expect(committed).toBe(ruleSetValidatorSource(readFileSync(join(ROOT, RULESET_SCHEMA_PATH), 'utf8')));
  });

  it('accepts exactly what the zod schemas accept, over single-value damage to every place of real files', () => {
    let checked = 0;
    let rejected = 0;
    for (const ex of [...examples, JSON.parse(exportRuleSet(irisList))]) {
      for (const p of paths(ex)) {
        for (const v of REPLACEMENTS) {
          const damaged = withValue(ex, p, v);
          const zod = RuleSetFile.safeParse(damaged).success;
          expect(matchesRuleSetSchema(damaged), `${JSON.stringify(p)} := ${JSON.stringify(v)}`).toBe(zod);
          checked++;
          if (!zod) rejected++;
        }
        // An unknown field beside the others.
        const here = p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], ex);
        if (here !== null && typeof here === 'object' && !Array.isArray(here)) {
          const extra = withValue(ex, [...p, 'unexpected'], 1);
          expect(matchesRuleSetSchema(extra), `${JSON.stringify(p)}.unexpected`).toBe(RuleSetFile.safeParse(extra).success);
        }
      }
    }
    expect(checked).toBeGreaterThan(1500);
    expect(rejected / checked).toBeGreaterThan(0.5);
  });

  it('checkRuleSet gives validateRuleSet\'s verdict: the same value for a valid file, the same issues for an invalid one', async () => {
    const ex = examples[0] as { surrogate: unknown };
    const good = await checkRuleSet(ex);
    expect(good).toEqual(validateRuleSet(ex));
    expect(good.ok).toBe(true);
    for (const damaged of [withValue(ex, ['surrogate', 'root', 'condition', 'type'], 'lt'), withValue(ex, ['provenance', 'seed'], 1.5), withValue(ex, ['schema', 'features', 0, 'name'], 'petal_width')]) {
      const v = await checkRuleSet(damaged);
      expect(v.ok, JSON.stringify(damaged).slice(0, 400)).toBe(false);
      expect(v).toEqual(validateRuleSet(damaged));
    }
    await expect(parseRuleSet('{"format": "surrogate-distill/rules", "version": 1}', 'r.json')).rejects.toThrow(/^r\.json: at \$\.task: Invalid option: .* \(and 4 more problems; see distill rules validate\)$/);
  });
});
