/**
 * Reading and writing rule set files: deterministic JSON out; parse, schema validation and
 * semantic checks in, with every problem reported at its JSON path. Import only parses JSON and
 * checks plain data: nothing in a file is ever evaluated as code.
 */
import type { z } from 'zod';
import type { Feature } from '../data/types.js';
import { InputError } from '../util/errors.js';
import { readTextFileWithin } from '../util/io.js';
import { formatJsonPath, jsonNestingBeyond, MAX_JSON_DEPTH, nestingMessage, parseJsonText } from '../util/json.js';
import { RULES_FORMAT, RULES_VERSION, RuleSetFile, type RuleSet } from './schema.js';
import { forEachAtomic, forEachCondition, forEachNested, forEachOutput } from './walk.js';

/** One problem found in a rule set file. */
export interface RuleSetIssue {
  /** JSON path, e.g. `$.surrogate.rules[3].conditions[0].threshold`. */
  path: string;
  message: string;
}

export type RuleSetValidation = { ok: true; value: RuleSet } | { ok: false; issues: RuleSetIssue[] };

/** Format versions this build reads. */
export const SUPPORTED_RULES_VERSIONS: readonly number[] = [RULES_VERSION];

/**
 * Serialises a rule set as deterministic JSON text: fields in schema order, 2-space indent, final
 * newline. The same rule set always gives the same bytes.
 *
 * @throws Error when `rs` does not satisfy the schema (a bug in whatever built it).
 * @example
 * await writeFileAtomic('rules.json', exportRuleSet(rs));
 */
export function exportRuleSet(rs: RuleSet): string {
  const v = validateRuleSet(rs);
  if (!v.ok) {
    const list = v.issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new Error(`refusing to write an invalid rule set: ${list}`);
  }
  return JSON.stringify(v.value, null, 2) + '\n';
}

/** Largest rule set file read by default: 64 MiB (`DISTILL_MAX_RULES_BYTES` changes it). */
export const DEFAULT_MAX_RULES_BYTES = 64 * 2 ** 20;

/**
 * Limits on rule set files, so that a hostile or broken file ends in a one-line error instead of
 * exhausting memory or the call stack: at most `maxBytes` bytes (default 64 MiB, or the
 * environment variable `DISTILL_MAX_RULES_BYTES`), arrays and objects nested at most `maxDepth`
 * levels ({@link MAX_JSON_DEPTH}, 512: a decision tree about 500 levels deep, M-of-N tests nested
 * about 250 deep). docs/rules-format.md ("Limits") states them.
 *
 * @throws InputError naming `DISTILL_MAX_RULES_BYTES` when it is set to anything but a positive integer.
 * @example
 * ruleSetLimits(); // { maxBytes: 67108864, maxDepth: 512 }
 */
export function ruleSetLimits(env: Record<string, string | undefined> = process.env): { maxBytes: number; maxDepth: number } {
  const raw = env.DISTILL_MAX_RULES_BYTES;
  let maxBytes = DEFAULT_MAX_RULES_BYTES;
  if (raw !== undefined && raw !== '') {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) {
      throw new InputError(`expected a positive whole number of bytes, got ${JSON.stringify(raw)}`, { flag: 'DISTILL_MAX_RULES_BYTES' });
    }
    maxBytes = Number(raw);
  }
  return { maxBytes, maxDepth: MAX_JSON_DEPTH };
}

/**
 * Reads the text of a rule set file within the size limit (see {@link ruleSetLimits}); named
 * pipes, devices and folders are refused before reading.
 *
 * @param opts `maxBytes` overrides the limit.
 * @throws InputError `big.json: 104857600 bytes, over the 64 MiB limit for rule set files (...)`.
 * @example
 * const text = await readRuleSetText('rules.json');
 */
export async function readRuleSetText(path: string, opts: { maxBytes?: number } = {}): Promise<string> {
  const maxBytes = opts.maxBytes ?? ruleSetLimits().maxBytes;
  return readTextFileWithin(path, { maxBytes, what: 'rule set files', limitHint: 'set DISTILL_MAX_RULES_BYTES to read a larger one' });
}

/**
 * Parses and validates rule set text (a file's contents).
 *
 * @param text the JSON text
 * @param file name used in error messages
 * @throws InputError with `file:line: column N` for invalid JSON, or the JSON path of the first
 *   problem (and how many more there are) for a file that parses but is not a valid rule set.
 * @example
 * const rs = importRuleSet(await readTextFile('rules.json'), 'rules.json');
 */
export function importRuleSet(text: string, file: string): RuleSet {
  const json = parseJsonText(text, file);
  const v = validateRuleSet(json);
  if (v.ok) return v.value;
  const [first, ...rest] = v.issues;
  const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''}; see distill rules validate)` : '';
  throw new InputError(first.message + more, { file, path: first.path });
}

/**
 * Reads and validates a rule set file, within the limits of {@link ruleSetLimits}.
 *
 * @param opts `maxBytes` overrides the size limit.
 * @throws InputError for an unreadable or special file, a file over the size limit, invalid JSON
 *   (line and column) or an invalid rule set (JSON path; nesting beyond the limit included).
 * @example
 * const rs = await loadRuleSet('rules.json');
 */
export async function loadRuleSet(path: string, opts: { maxBytes?: number } = {}): Promise<RuleSet> {
  return importRuleSet(await readRuleSetText(path, opts), path);
}

/**
 * Validates parsed JSON as a rule set: format tag and version first, then the nesting depth (at
 * most {@link MAX_JSON_DEPTH} levels; checked without recursion, before the schema), then the schema, then the
 * semantic checks (features exist in the embedded schema, numeric tests on numeric features and
 * categorical tests on categorical ones, categories and classes known, `1 <= m <= n`, outputs of
 * the task's kind). Never throws.
 *
 * @example
 * const v = validateRuleSet(JSON.parse(text));
 * if (!v.ok) for (const i of v.issues) console.log(`${i.path}: ${i.message}`);
 */
export function validateRuleSet(json: unknown): RuleSetValidation {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return fail('$', `expected a rule set object, got ${describeValue(json)}`);
  }
  const o = json as Record<string, unknown>;
  if (o.format !== RULES_FORMAT) {
    return fail('$.format', o.format === undefined ? `missing; a rule set file has "format": "${RULES_FORMAT}"` : `expected "${RULES_FORMAT}", got ${describeValue(o.format)}`);
  }
  if (!SUPPORTED_RULES_VERSIONS.includes(o.version as number)) {
    return fail('$.version', `unsupported version ${describeValue(o.version)}; supported: ${SUPPORTED_RULES_VERSIONS.join(', ')}`);
  }
  const deep = jsonNestingBeyond(json, MAX_JSON_DEPTH);
  if (deep !== null) return fail(deep, nestingMessage('rule set files'));
  const r = RuleSetFile.safeParse(json);
  if (!r.success) return { ok: false, issues: flattenIssues(r.error.issues, []) };
  const issues = semanticIssues(r.data);
  return issues.length ? { ok: false, issues } : { ok: true, value: r.data };
}

/**
 * Checks that data with columns `features` can feed the rule set: every feature the rules test
 * exists in the data, and features the rules test numerically are numeric there. (A numeric data
 * column may feed a categorical feature: `alignRows` reads codes as text.) Columns the rules never
 * test are not required.
 *
 * @throws InputError naming the rules file, the JSON path of the first condition at fault and the feature.
 * @example
 * checkRuleSetAgainst(rs, ds.schema.features, 'rules.json');
 */
export function checkRuleSetAgainst(rs: RuleSet, features: readonly Feature[], file: string): void {
  const byName = new Map(features.map((f) => [f.name, f]));
  forEachCondition(rs.surrogate, (c, path) =>
    forEachAtomic(c, path, (a, p) => {
      const f = byName.get(a.feature);
      const want = NUMERIC_TESTS.has(a.type) ? 'numeric' : 'categorical';
      if (!f) {
        const cols = features.map((x) => x.name);
        const shown = cols.length > 12 ? `${cols.slice(0, 12).join(', ')}, ...` : cols.join(', ');
        throw new InputError(`the rules test feature "${a.feature}", which the data lacks (data columns: ${shown || 'none'})`, { file, path: p });
      }
      // A numeric data column may feed a categorical feature (codes such as 1, 2, 3; alignRows
      // reads them as text); the other way round cannot work.
      if (want === 'numeric' && f.type !== 'numeric') {
        throw new InputError(`the rules test feature "${a.feature}" as ${want}, but it is ${f.type} in the data`, { file, path: p });
      }
    }),
  );
}

const NUMERIC_TESTS = new Set(['le', 'gt', 'interval']);

function fail(path: string, message: string): RuleSetValidation {
  return { ok: false, issues: [{ path, message }] };
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Turns zod issues into path + message pairs. Unions that are not discriminated (outputs) report
 * the branch that got closest (fewest problems).
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): RuleSetIssue[] {
  const out: RuleSetIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.map((b) => flattenIssues(b, path));
      branches.sort((a, b) => a.length - b.length);
      for (const b of branches[0]) out.push(b);
    } else if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push({ path: formatJsonPath([...path, k]), message: 'unknown field' });
    } else if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      out.push({ path: formatJsonPath(path), message: `missing (expected ${issue.expected})` });
    } else {
      out.push({ path: formatJsonPath(path), message: issue.message.replace(/^Invalid input: /, '') });
    }
  }
  return out;
}

function semanticIssues(rs: RuleSet): RuleSetIssue[] {
  const issues: RuleSetIssue[] = [];
  const { features, target } = rs.schema;
  const seen = new Set<string>();
  features.forEach((f, i) => {
    if (seen.has(f.name)) issues.push({ path: `$.schema.features[${i}].name`, message: `duplicate feature "${f.name}"` });
    seen.add(f.name);
  });
  if ((rs.task === 'classification') !== (target.kind === 'class')) {
    issues.push({ path: '$.task', message: `task "${rs.task}" does not match the target's kind "${target.kind}"` });
  }
  const classes = target.kind === 'class' ? target.classes : [];
  if (new Set(classes).size !== classes.length) issues.push({ path: '$.schema.target.classes', message: 'duplicate class names' });
  const byName = new Map(features.map((f) => [f.name, f]));
  const names = features.map((f) => f.name).join(', ');

  forEachCondition(rs.surrogate, (c, path) => {
    forEachNested(c, path, (cc, p) => {
      if (cc.type === 'mofn' && cc.m > cc.conditions.length) issues.push({ path: `${p}.m`, message: `m = ${cc.m} exceeds the number of member conditions (${cc.conditions.length})` });
    });
    forEachAtomic(c, path, (a, p) => {
      const f = byName.get(a.feature);
      if (!f) {
        issues.push({ path: `${p}.feature`, message: `unknown feature "${a.feature}" (the rule set's schema has: ${names || 'none'})` });
        return;
      }
      const numericTest = NUMERIC_TESTS.has(a.type);
      if (numericTest && f.type !== 'numeric') {
        issues.push({ path: p, message: `numeric test "${a.type}" on categorical feature "${f.name}"` });
        return;
      }
      if (!numericTest && f.type !== 'categorical') {
        issues.push({ path: p, message: `categorical test "${a.type}" on numeric feature "${f.name}"` });
        return;
      }
      if (a.type === 'interval' && a.low !== null && a.high !== null && !(a.low < a.high)) {
        issues.push({ path: p, message: `empty interval: low (${a.low}) must be below high (${a.high})` });
      }
      if (f.type === 'categorical') {
        const values = a.type === 'eq' || a.type === 'neq' ? [a.value] : a.type === 'in' || a.type === 'notIn' ? a.values : [];
        const key = a.type === 'eq' || a.type === 'neq' ? 'value' : 'values';
        values.forEach((v, i) => {
          if (!f.categories.includes(v)) {
            issues.push({ path: key === 'value' ? `${p}.value` : `${p}.values[${i}]`, message: `"${v}" is not a category of feature "${f.name}"` });
          }
        });
      }
    });
  });

  forEachOutput(rs.surrogate, (o, path) => {
    if ('class' in o) {
      if (target.kind !== 'class') {
        issues.push({ path, message: 'class output in a regression rule set (expected {"value": number})' });
        return;
      }
      if (!classes.includes(o.class)) issues.push({ path: `${path}.class`, message: `unknown class "${o.class}" (classes: ${classes.join(', ')})` });
      for (const k of Object.keys(o.distribution ?? {})) {
        if (!classes.includes(k)) issues.push({ path: `${path}.distribution${formatJsonPath([k]).slice(1)}`, message: `unknown class "${k}"` });
      }
    } else if (target.kind === 'class') {
      issues.push({ path, message: 'value output in a classification rule set (expected {"class": name})' });
    }
  });
  return issues;
}
