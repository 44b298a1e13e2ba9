import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  checkRuleSetAgainst,
  exportRuleSet,
  importRuleSet,
  InputError,
  predictLabels,
  RULESET_SCHEMA_PATH,
  ruleSetJsonSchema,
  validateRuleSet,
  type RuleSet,
} from '../../src/index.js';
import { ROOT } from '../helpers/cli.js';
import { irisList, irisTree, penguinSchema, ruleSetOf } from './fixtures.js';

const committed = readFileSync(join(ROOT, RULESET_SCHEMA_PATH), 'utf8');
const validateWithAjv = new Ajv2020({ strict: false }).compile(JSON.parse(committed));

function importError(text: string): string {
  try {
    importRuleSet(text, 'rules.json');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected importRuleSet to throw');
}

const mutate = (rs: RuleSet, f: (j: any) => void): string => {
  const j = JSON.parse(exportRuleSet(rs));
  f(j);
  return JSON.stringify(j, null, 2);
};

describe('JSON Schema', () => {
  it('the committed rules/ruleset.schema.json is up to date (run npm run schema)', () => {
    expect(committed).toBe(ruleSetJsonSchema());
  });

  it('ajv (draft 2020-12) accepts what exportRuleSet writes and rejects a damaged file', () => {
    for (const rs of [irisList, irisTree]) {
      expect(validateWithAjv(JSON.parse(exportRuleSet(rs))), JSON.stringify(validateWithAjv.errors)).toBe(true);
    }
    const bad = JSON.parse(mutate(irisList, (j) => (j.surrogate.rules[0].conditions[0].threshold = 'high')));
    expect(validateWithAjv(bad)).toBe(false);
  });
});

describe('exportRuleSet / importRuleSet', () => {
  it('writes deterministic JSON (2-space indent, final newline) and reads it back equal', () => {
    const text = exportRuleSet(irisList);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "format": "surrogate-distill/rules",');
    expect(exportRuleSet(importRuleSet(text, 'r.json'))).toBe(text);
    expect(importRuleSet(text, 'r.json')).toEqual(irisList);
  });

  it('orders fields as the schema does, whatever order the object was built in', () => {
    const shuffled = { ...irisList, provenance: irisList.provenance, format: irisList.format } as RuleSet;
    expect(exportRuleSet(shuffled)).toBe(exportRuleSet(irisList));
  });

  it('refuses to export an invalid rule set', () => {
    const bad = ruleSetOf({ kind: 'list', rules: [], default: { class: 'tulip' } });
    expect(() => exportRuleSet(bad)).toThrow(/\$\.surrogate\.default\.class: unknown class "tulip"/);
  });

  it('keeps predictions exactly through a file', () => {
    const rows = [
      [5.1, 3.5, 1.4, 0.2],
      [6.3, 3.3, 6.0, 2.5],
      [5.9, 3.0, 4.2, 1.5],
      [null, null, null, null],
    ];
    const back = importRuleSet(exportRuleSet(irisTree), 'r.json');
    expect(Array.from(predictLabels(back, rows))).toEqual([0, 2, 1, 1]);
  });
});

describe('import errors', () => {
  it('truncated JSON: line and column of the end of the text', () => {
    const text = exportRuleSet(irisList);
    const cut = text.slice(0, 200);
    const lines = cut.split('\n');
    const msg = importError(cut);
    expect(msg).toBe(`rules.json:${lines.length}: column ${lines[lines.length - 1].length + 1}: invalid JSON: unexpected end of input (is the file truncated?)`);
  });

  it('bad JSON syntax in the middle: where and why', () => {
    expect(importError('{\n  "format": "x",\n  "version" 1\n}')).toBe(`rules.json:3: column 13: invalid JSON: expected ':' after a property name`);
    expect(importError('{"a": [1, 2,]}')).toBe('rules.json:1: column 13: invalid JSON: unexpected character "]"');
    expect(importError('{} x')).toBe('rules.json:1: column 4: invalid JSON: unexpected text after the JSON value');
  });

  it('unknown version names the supported ones', () => {
    expect(importError(mutate(irisList, (j) => (j.version = 7)))).toBe('rules.json: at $.version: unsupported version 7; supported: 1');
  });

  it('not a rule set file', () => {
    expect(importError('{"format": "surrogate-distill/encoder", "version": 1}')).toBe(
      'rules.json: at $.format: expected "surrogate-distill/rules", got "surrogate-distill/encoder"',
    );
    expect(importError('[1, 2]')).toBe('rules.json: at $: expected a rule set object, got an array');
  });

  it('type errors carry the JSON path', () => {
    expect(importError(mutate(irisList, (j) => (j.surrogate.rules[1].conditions[0].threshold = 'x')))).toBe(
      'rules.json: at $.surrogate.rules[1].conditions[0].threshold: expected number, received string',
    );
    expect(importError(mutate(irisList, (j) => delete j.surrogate.rules[0].output.class))).toMatch(/^rules\.json: at \$\.surrogate\.rules\[0\]\.output\.(class|value): missing/);
    expect(importError(mutate(irisList, (j) => (j.surrogate.rules[0].conditions[0].type = 'lt')))).toBe(
      `rules.json: at $.surrogate.rules[0].conditions[0].type: Invalid discriminator value. Expected 'le' | 'gt' | 'interval' | 'eq' | 'neq' | 'in' | 'notIn' | 'mofn'`,
    );
    expect(importError(mutate(irisList, (j) => (j.surrogate.rules[0].extra = 1)))).toBe('rules.json: at $.surrogate.rules[0].extra: unknown field');
    expect(importError(mutate(irisTree, (j) => (j.surrogate.root.no.yes.condition.threshold = null)))).toBe(
      'rules.json: at $.surrogate.root.no.yes.condition.threshold: expected number, received null',
    );
  });

  it('counts further problems', () => {
    const text = mutate(irisList, (j) => {
      j.surrogate.rules[0].conditions[0].threshold = 'x';
      j.surrogate.rules[1].conditions[0].threshold = 'y';
    });
    expect(importError(text)).toMatch(/\(and 1 more problem; see distill rules validate\)$/);
  });

  it('semantic checks: features, operator types, categories, classes, m <= n, task', () => {
    const bad = ruleSetOf(
      {
        kind: 'set',
        resolution: 'confidence',
        rules: [
          { conditions: [{ type: 'le', feature: 'island', threshold: 1 }], output: { class: 'Adelie' } },
          { conditions: [{ type: 'eq', feature: 'flipper', value: '200' }], output: { class: 'Gentoo' } },
          { conditions: [{ type: 'in', feature: 'island', values: ['Dream', 'Atlantis'] }], output: { class: 'Emperor' } },
          {
            conditions: [{ type: 'mofn', m: 3, conditions: [{ type: 'gt', feature: 'beak', threshold: 1 }, { type: 'gt', feature: 'flipper', threshold: 190 }] }],
            output: { class: 'Adelie', distribution: { Adelie: 1, Dodo: 0 } },
          },
          { conditions: [{ type: 'interval', feature: 'flipper', low: 200, high: 190 }], output: { value: 3 } },
        ],
        default: null,
      },
      penguinSchema,
    );
    const v = validateRuleSet(JSON.parse(JSON.stringify(bad)));
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues).toEqual([
      { path: '$.surrogate.rules[0].conditions[0]', message: 'numeric test "le" on categorical feature "island"' },
      { path: '$.surrogate.rules[1].conditions[0]', message: 'categorical test "eq" on numeric feature "flipper"' },
      { path: '$.surrogate.rules[2].conditions[0].values[1]', message: '"Atlantis" is not a category of feature "island"' },
      { path: '$.surrogate.rules[3].conditions[0].m', message: 'm = 3 exceeds the number of member conditions (2)' },
      { path: '$.surrogate.rules[3].conditions[0].conditions[0].feature', message: 'unknown feature "beak" (the rule set\'s schema has: island, bill_length, flipper)' },
      { path: '$.surrogate.rules[4].conditions[0]', message: 'empty interval: low (200) must be below high (190)' },
      { path: '$.surrogate.rules[2].output.class', message: 'unknown class "Emperor" (classes: Adelie, Chinstrap, Gentoo)' },
      { path: '$.surrogate.rules[3].output.distribution.Dodo', message: 'unknown class "Dodo"' },
      { path: '$.surrogate.rules[4].output', message: 'value output in a classification rule set (expected {"class": name})' },
    ]);
  });

  it('never evaluates code in the file', () => {
    const text = mutate(irisList, (j) => (j.provenance.options = { onload: 'process.exit(3)', __proto__x: 1 }));
    const rs = importRuleSet(text, 'r.json');
    expect(rs.provenance.options.onload).toBe('process.exit(3)');
    expect(importError(mutate(irisList, (j) => (j.surrogate.rules[0].conditions[0].threshold = '1e3')))).toMatch(/expected number/);
  });
});

describe('checkRuleSetAgainst', () => {
  it('accepts data with the tested columns (in any order, extra columns too)', () => {
    expect(() => checkRuleSetAgainst(irisList, [{ name: 'petal_width', type: 'numeric' }, { name: 'x', type: 'categorical', categories: [] }, { name: 'petal_length', type: 'numeric' }], 'r.json')).not.toThrow();
  });

  it('names a feature the data lacks with the JSON path of the condition', () => {
    expect(() => checkRuleSetAgainst(irisList, [{ name: 'petal_length', type: 'numeric' }], 'rules.json')).toThrow(
      'rules.json: at $.surrogate.rules[1].conditions[0]: the rules test feature "petal_width", which the data lacks (data columns: petal_length)',
    );
  });

  it('names a type clash', () => {
    const feats = [
      { name: 'petal_length', type: 'numeric' as const },
      { name: 'petal_width', type: 'categorical' as const, categories: ['a'] },
    ];
    expect(() => checkRuleSetAgainst(irisList, feats, 'rules.json')).toThrow(
      'rules.json: at $.surrogate.rules[1].conditions[0]: the rules test feature "petal_width" as numeric, but it is categorical in the data',
    );
  });
});
