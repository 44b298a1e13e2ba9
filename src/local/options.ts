/**
 * Options of local explainers, derived from each registry entry's zod schema: the CLI flags (name,
 * type, help text with each method's default) and the checks, whose messages name the CLI flag.
 */
import { z } from 'zod';
import { parseOptions } from '../util/options.js';
import type { LocalExplainer } from './types.js';

/** The JSON Schema view of one option (what the CLI and the docs are derived from). */
export interface OptionInfo {
  key: string;
  flag: string;
  type: 'integer' | 'number' | 'string' | 'boolean';
  description: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/**
 * The `batchRows` option of the methods built on masked means (SHAP, occlusion), library only:
 * model rows per call at most, by default `maskedBatchRows(model)`.
 */
export const maskedBatchRowsOption = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe('rows sent to the model per call at most (default: what the model runs in one go, at most 65,536; 8,192 for an ONNX model)')
  .meta({ libraryOnly: true });

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The flag of option `key` of `entry`, e.g. `--features` for LIME's `numFeatures`. */
export function optionFlag(entry: LocalExplainer, key: string): string {
  return (entry.flags as Record<string, string> | undefined)?.[key] ?? `--${kebab(key)}`;
}

const infoCache = new WeakMap<LocalExplainer, OptionInfo[]>();

/**
 * The options of `entry` a command line can give: scalar ones (numbers, strings, booleans), with
 * their flag, default and bounds. Library-only options (functions, arrays, and those whose schema
 * carries `.meta({ libraryOnly: true })`) are left out.
 *
 * @example
 * optionInfo(localExplainers.lime).find((o) => o.key === 'samples'); // { flag: '--samples', type: 'integer', default: 5000, minimum: 2, ... }
 */
export function optionInfo(entry: LocalExplainer): OptionInfo[] {
  const hit = infoCache.get(entry);
  if (hit) return hit;
  const json = z.toJSONSchema(entry.options, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Record<string, unknown>> };
  const out: OptionInfo[] = [];
  for (const [key, p] of Object.entries(json.properties ?? {})) {
    const type = p.type;
    if (p.libraryOnly === true) continue;
    if (type !== 'integer' && type !== 'number' && type !== 'string' && type !== 'boolean') continue;
    const info: OptionInfo = { key, flag: optionFlag(entry, key), type, description: String(p.description ?? '') };
    if ('default' in p) info.default = p.default;
    if (Array.isArray(p.enum)) info.enum = p.enum;
    for (const b of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
      const v = p[b];
      if (typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER) info[b] = v;
    }
    out.push(info);
  }
  infoCache.set(entry, out);
  return out;
}

/** The camel-case key yargs gives a flag (`--kernel-width` → `kernelWidth`). */
export function flagKey(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * yargs options for the flags of every entry: one flag may serve several methods (their types
 * must agree); its help lists each method's meaning and default. No yargs defaults are set, so a
 * handler sees only what was given and each method's schema fills in its own defaults.
 *
 * @throws Error when two methods give one flag different types (a registry mistake).
 */
export function explainerFlags(entries: readonly LocalExplainer[]): Record<string, { type: 'number' | 'string' | 'boolean'; describe: string }> {
  const flags = new Map<string, { type: 'number' | 'string' | 'boolean'; parts: string[] }>();
  for (const e of entries) {
    for (const o of optionInfo(e)) {
      const type = o.type === 'integer' ? 'number' : o.type;
      const name = o.flag.replace(/^--/, '');
      const f = flags.get(name) ?? { type, parts: [] };
      if (f.type !== type) throw new Error(`flag ${o.flag} is a ${f.type} for one method and a ${type} for ${e.name}`);
      const choices = o.enum ? ` (${o.enum.join(', ')})` : '';
      const def = o.default !== undefined ? `; default ${String(o.default)}` : '';
      f.parts.push(`${e.name}: ${o.description}${choices}${def}`);
      flags.set(name, f);
    }
  }
  return Object.fromEntries([...flags].map(([name, f]) => [name, { type: f.type, describe: f.parts.join(' | ') }]));
}

/**
 * Checks `given` (library option names) against the entry's schema and fills in the defaults.
 *
 * @throws InputError naming the CLI flag at fault, e.g. `--samples: expected an integer >= 2, got 1`.
 * @example
 * parseMethodOptions(localExplainers.lime, { samples: 1000 }); // { samples: 1000, numFeatures: 10, ... }
 */
export function parseMethodOptions<S extends z.ZodObject>(entry: LocalExplainer<S>, given: Record<string, unknown> = {}): z.output<S> {
  const e = entry as unknown as LocalExplainer;
  const withFlag = new Set(optionInfo(e).map((o) => o.key));
  return parseOptions(entry.options, given, { method: entry.name, flagOf: (key) => (withFlag.has(key) ? optionFlag(e, key) : undefined) });
}
