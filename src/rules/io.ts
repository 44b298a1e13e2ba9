/**
 * Rule set files with the zod schemas: deterministic JSON out; parse, schema validation and
 * semantic checks in, with every problem reported at its JSON path. Import only parses JSON and
 * checks plain data: nothing in a file is ever evaluated as code.
 *
 * Reading a file needs none of this module: `loadRuleSet` / `parseRuleSet` / `checkRuleSet`
 * (read.ts) check files with the validator generated from the JSON Schema and load zod only for a
 * file with a problem, to name it.
 */
import type { z } from 'zod';
import { formatJsonPath, parseJsonText } from '../util/json.js';
import { ruleSetError, ruleSetPrecheck, semanticIssues, type RuleSetIssue, type RuleSetValidation } from './read.js';
import { RuleSetFile, type RuleSet } from './schema.js';

export {
  checkRuleSet,
  checkRuleSetAgainst,
  DEFAULT_MAX_RULES_BYTES,
  loadRuleSet,
  parseRuleSet,
  readRuleSetText,
  ruleSetLimits,
  SUPPORTED_RULES_VERSIONS,
  type RuleSetIssue,
  type RuleSetValidation,
} from './read.js';

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

/**
 * Parses and validates rule set text (a file's contents); `parseRuleSet` (read.ts) does the same
 * without loading zod for a valid file.
 *
 * @param text the JSON text
 * @param file name used in error messages
 * @throws InputError with `file:line: column N` for invalid JSON, or the JSON path of the first
 *   problem (and how many more there are) for a file that parses but is not a valid rule set.
 * @example
 * const rs = importRuleSet(await readTextFile('rules.json'), 'rules.json');
 */
export function importRuleSet(text: string, file: string): RuleSet {
  const v = validateRuleSet(parseJsonText(text, file));
  if (v.ok) return v.value;
  throw ruleSetError(v.issues, file);
}

/**
 * Validates parsed JSON as a rule set: format tag and version first, then the nesting depth (at
 * most `MAX_JSON_DEPTH` levels; checked without recursion, before the schema), then the schema, then the
 * semantic checks (features exist in the embedded schema, numeric tests on numeric features and
 * categorical tests on categorical ones, categories and classes known, `1 <= m <= n`, outputs of
 * the task's kind). The value is a copy with its fields in schema order. Never throws.
 *
 * @example
 * const v = validateRuleSet(JSON.parse(text));
 * if (!v.ok) for (const i of v.issues) console.log(`${i.path}: ${i.message}`);
 */
export function validateRuleSet(json: unknown): RuleSetValidation {
  const early = ruleSetPrecheck(json);
  if (early) return early;
  const r = RuleSetFile.safeParse(json);
  if (!r.success) return { ok: false, issues: flattenIssues(r.error.issues, []) };
  const issues = semanticIssues(r.data);
  return issues.length ? { ok: false, issues } : { ok: true, value: r.data };
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
