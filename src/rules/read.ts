/**
 * Reading rule set files without loading zod: the size and nesting limits, the format tag and
 * version, a schema check with the validator that ajv generated from the published JSON Schema
 * (ruleset.validate.generated.ts, `npm run schema`), then the semantic checks. A file that fails
 * the schema check is validated again with the zod schemas (io.ts, loaded only then), which name
 * the JSON path of every problem: the messages are the same whichever way a file is read.
 */
import type { Feature } from '../data/types.js';
import { InputError } from '../util/errors.js';
import { readTextFileWithin } from '../util/io.js';
import { jsonNestingBeyond, MAX_JSON_DEPTH, nestingMessage, parseJsonText, formatJsonPath } from '../util/json.js';
import { RULES_FORMAT, RULES_VERSION } from './format.js';
import { matchesRuleSetSchema } from './ruleset.validate.generated.js';
import type { RuleSet } from './schema.js';
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
 * The checks that come before the schema: a rule set object, its format tag and version, then the
 * nesting depth (at most {@link MAX_JSON_DEPTH} levels; checked without recursion). Null when they pass.
 */
export function ruleSetPrecheck(json: unknown): RuleSetValidation | null {
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
  return deep === null ? null : fail(deep, nestingMessage('rule set files'));
}

/**
 * Validates parsed JSON as a rule set, as `validateRuleSet` (io.ts) does and with the same issues,
 * loading zod only for a file that does not satisfy the schema. The value of a valid file is the
 * parsed JSON itself (its fields in the file's order; `exportRuleSet` writes them in schema order).
 * Never rejects.
 *
 * @example
 * const v = await checkRuleSet(JSON.parse(text));
 * if (!v.ok) for (const i of v.issues) console.log(`${i.path}: ${i.message}`);
 */
export async function checkRuleSet(json: unknown): Promise<RuleSetValidation> {
  const early = ruleSetPrecheck(json);
  if (early) return early;
  if (matchesSchema(json)) {
    const issues = semanticIssues(json as RuleSet);
    return issues.length ? { ok: false, issues } : { ok: true, value: json as RuleSet };
  }
  // A problem to name, or a file the generated validator could not decide: the zod schemas decide.
  const { validateRuleSet } = await import('./io.js');
  return validateRuleSet(json);
}

/**
 * The generated validator's verdict; false also when it runs out of stack: its recursive functions
 * have large frames, and a tree some hundreds of splits deep (within {@link MAX_JSON_DEPTH}) is
 * left to the zod schemas, which read it.
 */
function matchesSchema(json: unknown): boolean {
  try {
    return matchesRuleSetSchema(json);
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}

/**
 * Parses and validates rule set text (a file's contents), loading zod only for an invalid file.
 *
 * @param file name used in error messages
 * @throws InputError with `file:line: column N` for invalid JSON, or the JSON path of the first
 *   problem (and how many more there are) for a file that parses but is not a valid rule set.
 * @example
 * const rs = await parseRuleSet(await readTextFile('rules.json'), 'rules.json');
 */
export async function parseRuleSet(text: string, file: string): Promise<RuleSet> {
  const v = await checkRuleSet(parseJsonText(text, file));
  if (v.ok) return v.value;
  throw ruleSetError(v.issues, file);
}

/** The InputError for a rule set with `issues`: the first one, and how many more there are. */
export function ruleSetError(issues: readonly RuleSetIssue[], file: string): InputError {
  const [first, ...rest] = issues;
  const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''}; see distill rules validate)` : '';
  return new InputError(first.message + more, { file, path: first.path });
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
  return parseRuleSet(await readRuleSetText(path, opts), path);
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

/** The checks the schema cannot express: features, tests by type, categories, classes, `m <= n`, outputs of the task's kind. */
export function semanticIssues(rs: RuleSet): RuleSetIssue[] {
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
