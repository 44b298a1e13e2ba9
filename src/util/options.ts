/**
 * Options of every method (extractors, LIME, Anchors, training) in one way: a zod object schema is
 * the single source of the option names, their types, defaults and allowed values. `parseOptions`
 * checks what a caller gave against it and fills in the defaults; `optionDefaults` lists the
 * defaults (for provenance, `--help` and the docs). Messages name the method and the option, or
 * the command-line flag when the caller maps options to flags:
 *
 *   cart: option maxDepth must be an integer from 1 to 64, got 0
 *   cart: unknown option "depth"; options: maxDepth, minSamplesLeaf, ...
 *   --validation-split: expected a number in [0, 1), got 1
 *
 * The allowed values are described from the schema itself (via its JSON Schema), so a message can
 * never disagree with the check. A field whose rule JSON Schema cannot express (a function, a
 * refinement) says what it expects with `.meta({ expected: '...' })`.
 */
import { z } from 'zod';
import { InputError } from './errors.js';

/** Where the options come from, for messages. */
export interface OptionsContext {
  /** The method or command the options belong to, e.g. `cart`. */
  method: string;
  /**
   * The command-line flag that sets an option (`maxDepth` → `--max-depth`), when the options come
   * from a command line; messages about a value then name the flag instead of the option.
   * Options without a flag (undefined), and unknown options, are named as options.
   */
  flagOf?: (option: string) => string | undefined;
}

/**
 * `--kebab-case` flag of a camelCase option name, for {@link OptionsContext.flagOf}.
 *
 * @example
 * kebabFlag('validationSplit'); // '--validation-split'
 */
export function kebabFlag(option: string): string {
  return '--' + option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Checks `given` against `schema` and returns the options with every default filled in, in the
 * schema's key order. Keys whose value is `undefined` count as not given.
 *
 * @param schema a zod object schema (`z.strictObject` to reject unknown options)
 * @param given the caller's options (any value: it is checked)
 * @throws InputError naming an unknown option (with the known ones), or the first option whose
 *   value is not allowed (what is allowed, and what was given)
 * @example
 * const Cart = z.strictObject({ maxDepth: z.number().int().min(1).max(64).default(8) });
 * parseOptions(Cart, {}, { method: 'cart' }); // { maxDepth: 8 }
 * parseOptions(Cart, { maxDepth: 0 }, { method: 'cart' }); // throws 'cart: option maxDepth must be an integer from 1 to 64, got 0'
 */
export function parseOptions<S extends z.ZodObject>(schema: S, given: unknown, ctx: OptionsContext): z.output<S> {
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) {
    throw new InputError(`${ctx.method}: options must be an object, got ${shown(given)}`);
  }
  const input: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((given ?? {}) as Record<string, unknown>)) if (v !== undefined) input[k] = v;
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues;
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown && unknown.code === 'unrecognized_keys') {
    throw new InputError(`${ctx.method}: unknown option "${unknown.keys[0]}"; options: ${Object.keys(schema.shape).join(', ')}`);
  }
  const key = String(issues[0].path[0] ?? '');
  const field = schema.shape[key] as z.ZodType | undefined;
  const what = field ? describeOption(field) : 'valid';
  const flag = ctx.flagOf?.(key);
  if (flag) throw new InputError(`expected ${what}, got ${shown(input[key])}`, { flag });
  throw new InputError(`${ctx.method}: option ${key} must be ${what}, got ${shown(input[key])}`);
}

/**
 * The defaults of an options schema: what {@link parseOptions} returns when nothing is given.
 * Options without a default (optional ones) are absent.
 *
 * @example
 * optionDefaults(z.strictObject({ maxDepth: z.number().default(8), seed: z.number().optional() })); // { maxDepth: 8 }
 */
export function optionDefaults<S extends z.ZodObject>(schema: S): z.output<S> {
  return schema.parse({});
}

/**
 * What a schema allows, in words: `an integer from 1 to 64`, `a number in [0, 1)`, `one of tree,
 * list`, `true or false`, `a list of integers >= 1`; or the field's `.meta({ expected })`.
 *
 * @example
 * describeOption(z.number().gt(0)); // 'a number > 0'
 */
export function describeOption(schema: z.ZodType): string {
  const meta = z.globalRegistry.get(schema) as { expected?: unknown } | undefined;
  if (typeof meta?.expected === 'string') return meta.expected;
  const inner = unwrap(schema);
  if (inner !== schema) return describeOption(inner);
  let js: JsonSchema;
  try {
    js = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  } catch {
    return 'valid';
  }
  return describeJson(js);
}

/** The schema inside `.default()`, `.optional()`, `.nullable()` wrappers that carry no rule of their own. */
function unwrap(schema: z.ZodType): z.ZodType {
  const def = schema._zod.def as { type: string; innerType?: z.ZodType };
  if ((def.type === 'default' || def.type === 'optional' || def.type === 'prefault') && def.innerType) return def.innerType;
  return schema;
}

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

function describeJson(js: JsonSchema): string {
  if (js.enum) return js.enum.length === 1 ? JSON.stringify(js.enum[0]) : `one of ${js.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`;
  if (js.const !== undefined) return JSON.stringify(js.const);
  const alts = js.anyOf ?? js.oneOf;
  if (alts) return alts.map(describeJson).join(' or ');
  switch (js.type) {
    case 'boolean':
      return 'true or false';
    case 'string':
      return js.minLength ? 'a non-empty string' : 'a string';
    case 'null':
      return 'null';
    case 'array':
      if (!js.items) return 'a list';
      return `a list of ${(js.items.anyOf ?? js.items.oneOf ?? [js.items]).map((x) => plural(describeJson(x))).join(' or ')}`;
    case 'integer':
    case 'number':
      return describeNumber(js);
    default:
      return 'valid';
  }
}

function describeNumber(js: JsonSchema): string {
  const noun = js.type === 'integer' ? 'an integer' : 'a number';
  const lo = js.minimum ?? js.exclusiveMinimum;
  const hi = js.maximum ?? js.exclusiveMaximum;
  const loOpen = js.minimum === undefined && js.exclusiveMinimum !== undefined;
  const hiOpen = js.maximum === undefined && js.exclusiveMaximum !== undefined;
  const safe = (x: number | undefined) => x !== undefined && Math.abs(x) < Number.MAX_SAFE_INTEGER;
  const hasLo = safe(lo);
  const hasHi = safe(hi);
  if (hasLo && hasHi) {
    if (js.type === 'integer' && !loOpen && !hiOpen) return `${noun} from ${lo} to ${hi}`;
    return `${noun} in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
  }
  if (hasLo) return `${noun} ${loOpen ? '>' : '>='} ${lo}`;
  if (hasHi) return `${noun} ${hiOpen ? '<' : '<='} ${hi}`;
  return noun;
}

/** `an integer >= 1` → `integers >= 1`. */
function plural(what: string): string {
  return what.replace(/^an? (integer|number|string|list)\b/, '$1s');
}

/** A given value as a message shows it (numbers and strings as written, objects as short JSON). */
function shown(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined) return String(v);
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'string') return JSON.stringify(v);
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
