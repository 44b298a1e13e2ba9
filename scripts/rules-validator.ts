/**
 * The rule file validator that reading a rule set uses: JavaScript code that ajv (draft 2020-12)
 * generates from the published JSON Schema (rules/ruleset.schema.json, itself generated from the
 * zod schemas), committed as src/rules/ruleset.validate.generated.ts. Reading a file that is valid
 * then loads neither zod nor ajv; a file that fails the check is validated again with the zod
 * schemas, whose issues name the JSON path (src/rules/read.ts). `npm run schema` rewrites it; a
 * test fails while the committed copy is stale.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js';

// A CommonJS module: its `exports.default` is the function.
const standaloneCode = standalone.default;

/** Where the generated validator is committed, relative to the package root. */
export const RULESET_VALIDATOR_PATH = 'src/rules/ruleset.validate.generated.ts';

/** ajv's runtime helper for `minLength` (string length in code points), inlined: ajv is not a runtime dependency. */
const UCS2LENGTH = 'require("ajv/dist/runtime/ucs2length").default';
const CODE_POINTS = '((s) => { let n = 0; for (const _ of s) n++; return n; })';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Keywords that only annotate: they change no verdict. */
const ANNOTATIONS = new Set(['description', 'title', '$schema', 'id']);

/**
 * The schema with annotations dropped and every object subschema that occurs more than once (zod
 * writes each use of a schema out in full: rule statistics, outputs, feature names) moved to
 * `$defs` and referenced: the same verdicts, with each repeated check generated once (a validator
 * a third of the size, which Node compiles faster).
 */
function shareRepeats(schema: Json): Json {
  // Keys of `properties` and `$defs` are names (a property may be called "description"), not keywords.
  const names = (key: string | null) => key === 'properties' || key === '$defs';
  const strip = (v: Json, key: string | null): Json =>
    Array.isArray(v)
      ? v.map((x) => strip(x, null))
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).filter(([k]) => names(key) || !ANNOTATIONS.has(k)).map(([k, x]) => [k, strip(x, names(key) ? null : k)]))
        : v;
  const root = strip(schema, null) as { [k: string]: Json };
  const counts = new Map<string, number>();
  const count = (v: Json, key: string | null): void => {
    if (Array.isArray(v)) v.forEach((x) => count(x, null));
    else if (v !== null && typeof v === 'object') {
      if (!names(key)) {
        const text = JSON.stringify(v);
        if (text.length > 200 && !text.includes('"$ref"')) counts.set(text, (counts.get(text) ?? 0) + 1);
      }
      for (const [k, x] of Object.entries(v)) count(x, names(key) ? null : k);
    }
  };
  count(root, null);
  const shared = new Map<string, string>();
  for (const [text, n] of counts) if (n > 1) shared.set(text, `shared${shared.size}`);
  const replace = (v: Json, key: string | null): Json => {
    if (Array.isArray(v)) return v.map((x) => replace(x, null));
    if (v === null || typeof v !== 'object') return v;
    if (!names(key)) {
      const name = shared.get(JSON.stringify(v));
      if (name) return { $ref: `#/$defs/${name}` };
    }
    return inner(v);
  };
  // A shared subschema's own members may be shared too (not itself).
  const inner = (v: { [k: string]: Json }): Json => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x, k)]));
  const out = replace(root, null) as { [k: string]: Json };
  const defs = (out.$defs ?? {}) as { [k: string]: Json };
  for (const [text, name] of shared) defs[name] = inner(JSON.parse(text) as { [k: string]: Json });
  return { ...out, $defs: defs };
}

/**
 * TypeScript source of a function `matchesRuleSetSchema(json): boolean` that accepts exactly what
 * the JSON Schema `schemaText` accepts (first error only: the caller needs the verdict, the zod
 * schemas give the messages). Deterministic: the same schema gives the same text.
 *
 * @example
 * writeFileSync(RULESET_VALIDATOR_PATH, ruleSetValidatorSource(ruleSetJsonSchema()));
 */
export function ruleSetValidatorSource(schemaText: string): string {
  const ajv = new Ajv2020({ code: { source: true, esm: true, lines: true, optimize: true }, strict: true, allErrors: false, messages: false });
  const validate = ajv.compile(shareRepeats(JSON.parse(schemaText) as Json) as object);
  let code = standaloneCode(ajv, validate);
  code = code.split(UCS2LENGTH).join(CODE_POINTS);
  if (/\brequire\(|\bimport\b/.test(code)) throw new Error('the generated rule set validator needs a runtime module; inline it as ucs2length is');
  const m = /^"use strict";\s*export const validate = (\w+);\s*export default \w+;/.exec(code);
  if (!m) throw new Error('unexpected shape of ajv standalone code');
  const body = code.slice(m[0].length);
  return [
    '// @ts-nocheck',
    '/* eslint-disable */',
    '/**',
    ' * GENERATED by `npm run schema` (scripts/rules-validator.ts) from rules/ruleset.schema.json with',
    ' * ajv standalone code: do not edit. Accepts exactly the rule set files that JSON Schema accepts.',
    ' */',
    body.trim(),
    '',
    '/** True when `json` satisfies rules/ruleset.schema.json (the rule format\'s JSON Schema). */',
    `export const matchesRuleSetSchema: (json: unknown) => boolean = ${m[1]};`,
    '',
  ].join('\n');
}
