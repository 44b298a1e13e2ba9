/**
 * Property tests over random rule sets (lists, sets, trees, with M-of-N) and random rows with
 * missing values: a file round trip, treeToRuleList and exact simplification all keep every
 * prediction; every file written validates against the committed JSON Schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyRuleSet,
  computeRuleStats,
  exportRuleSet,
  importRuleSet,
  predictLabels,
  RULESET_SCHEMA_PATH,
  simplifyRuleSet,
  treeToRuleList,
  type ConditionT,
  type OutputT,
  type Row,
  type RuleSet,
  type RuleT,
  type TreeNodeT,
} from '../../src/index.js';
import { ROOT } from '../helpers/cli.js';
import { ruleSetOf } from './fixtures.js';

const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(join(ROOT, RULESET_SCHEMA_PATH), 'utf8')));

const NUM = ['a', 'b', 'c'];
const CAT: Record<string, string[]> = { d: ['p', 'q', 'r'], e: ['u', 'v'] };
const CLASSES = ['k0', 'k1', 'k2'];
const grid = fc.constantFrom(-1, 0, 0.5, 1, 2.5, 3);
const num = fc.oneof(grid, fc.double({ min: -5, max: 5, noNaN: true }));

const atomic: fc.Arbitrary<ConditionT> = fc.oneof(
  fc.record({ type: fc.constant('le' as const), feature: fc.constantFrom(...NUM), threshold: num }),
  fc.record({ type: fc.constant('gt' as const), feature: fc.constantFrom(...NUM), threshold: num }),
  fc
    .tuple(fc.constantFrom(...NUM), fc.option(num), fc.option(num))
    .map(([feature, x, y]) => {
      let [low, high] = [x, y];
      if (low !== null && high !== null && !(low < high)) [low, high] = low === high ? [low, null] : [high, low];
      return { type: 'interval' as const, feature, low, high };
    }),
  fc.constantFrom(...Object.keys(CAT)).chain((feature) =>
    fc.oneof(
      fc.record({ type: fc.constant('eq' as const), feature: fc.constant(feature), value: fc.constantFrom(...CAT[feature]) }),
      fc.record({ type: fc.constant('neq' as const), feature: fc.constant(feature), value: fc.constantFrom(...CAT[feature]) }),
      fc.record({ type: fc.constant('in' as const), feature: fc.constant(feature), values: fc.subarray(CAT[feature], { minLength: 1 }) }),
      fc.record({ type: fc.constant('notIn' as const), feature: fc.constant(feature), values: fc.subarray(CAT[feature], { minLength: 1 }) }),
    ),
  ),
);
const mofn: fc.Arbitrary<ConditionT> = fc
  .array(fc.oneof({ weight: 4, arbitrary: atomic }, { weight: 1, arbitrary: fc.array(atomic, { minLength: 1, maxLength: 2 }).map((cs) => ({ type: 'mofn' as const, m: 1, conditions: cs })) }), { minLength: 1, maxLength: 4 })
  .chain((cs) => fc.integer({ min: 1, max: cs.length }).map((m) => ({ type: 'mofn' as const, m, conditions: cs })));
const condition = fc.oneof({ weight: 4, arbitrary: atomic }, { weight: 1, arbitrary: mofn });

const classOutput: fc.Arbitrary<OutputT> = fc.constantFrom(...CLASSES).map((c) => ({ class: c }));
const valueOutput: fc.Arbitrary<OutputT> = num.map((v) => ({ value: v }));
const stats = fc.option(fc.record({ support: fc.integer({ min: 0, max: 5 }), precision: fc.option(fc.constantFrom(0, 0.5, 1)), coverage: fc.constantFrom(0, 0.5, 1) }), { nil: undefined });

function surrogateArb(output: fc.Arbitrary<OutputT>) {
  const rule: fc.Arbitrary<RuleT> = fc
    .record({ conditions: fc.array(condition, { maxLength: 3 }), output, stats })
    .map((r) => (r.stats === undefined ? { conditions: r.conditions, output: r.output } : (r as RuleT)));
  const { node } = fc.letrec<{ node: TreeNodeT }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ type: fc.constant('leaf' as const), output }),
      fc.record({ type: fc.constant('split' as const), condition, yes: tie('node'), no: tie('node') }),
    ),
  }));
  return fc.oneof(
    fc.record({ kind: fc.constant('list' as const), rules: fc.array(rule, { maxLength: 6 }), default: fc.option(output) }),
    fc.record({ kind: fc.constant('set' as const), rules: fc.array(rule, { maxLength: 6 }), default: fc.option(output), resolution: fc.constant('confidence' as const) }),
    fc.record({ kind: fc.constant('tree' as const), root: node }),
  );
}

const features = [...NUM.map((name) => ({ name, type: 'numeric' as const })), ...Object.entries(CAT).map(([name, categories]) => ({ name, type: 'categorical' as const, categories }))];
const classSchema: RuleSet['schema'] = { features, target: { name: 'y', kind: 'class', classes: CLASSES } };
const regSchema: RuleSet['schema'] = { features, target: { name: 'y', kind: 'regression' } };

const rowArb: fc.Arbitrary<Row> = fc.tuple(
  fc.option(num),
  fc.option(num),
  fc.option(num),
  fc.option(fc.constantFrom(...CAT.d)),
  fc.option(fc.constantFrom(...CAT.e)),
);
const rowsArb = fc.array(rowArb, { minLength: 1, maxLength: 40 });
const ruleSetArb = fc.oneof(
  surrogateArb(classOutput).map((s) => ruleSetOf(s, classSchema)),
  surrogateArb(valueOutput).map((s) => ruleSetOf(s, regSchema)),
);

const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]) || x === b[i]);

describe('rule set properties', () => {
  it('export -> import -> apply gives exactly the in-memory predictions (and the same rule)', () => {
    fc.assert(
      fc.property(ruleSetArb, rowsArb, (rs, rows) => {
        const text = exportRuleSet(rs);
        expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
        const back = importRuleSet(text, 'r.json');
        expect(same(predictLabels(back, rows), predictLabels(rs, rows))).toBe(true);
        expect(applyRuleSet(back, rows).map((d) => d.rule)).toEqual(applyRuleSet(rs, rows).map((d) => d.rule));
        expect(exportRuleSet(back)).toBe(text);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('treeToRuleList decides every row as the tree does', () => {
    fc.assert(
      fc.property(ruleSetArb, rowsArb, (rs, rows) => {
        if (rs.surrogate.kind !== 'tree') return;
        const list = { ...rs, surrogate: treeToRuleList(rs.surrogate) };
        expect(same(predictLabels(list, rows), predictLabels(rs, rows))).toBe(true);
        expect(validate(JSON.parse(exportRuleSet(list)))).toBe(true);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('computeRuleStats and simplification (tolerance 0) keep predictions on the sample and write valid files', () => {
    fc.assert(
      fc.property(ruleSetArb, rowsArb, fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 40, maxLength: 40 }), (rs, rows, lab) => {
        const labels = rs.task === 'classification' ? Float64Array.from(rows, (_, i) => lab[i]) : Float64Array.from(rows, (_, i) => lab[i] * 0.5);
        const withStats = computeRuleStats(rs, rows, labels);
        if (rs.surrogate.kind !== 'set') expect(same(predictLabels(withStats, rows), predictLabels(rs, rows))).toBe(true);
        const { ruleSet, before, after } = simplifyRuleSet(rs, rows, labels);
        expect(same(predictLabels(ruleSet, rows), predictLabels(withStats, rows))).toBe(true);
        expect(after.rules).toBeLessThanOrEqual(before.rules);
        expect(validate(JSON.parse(exportRuleSet(ruleSet))), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});
