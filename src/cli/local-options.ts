/**
 * The flags of the local explainers, derived from the registry's option schemas, shared by every
 * command that explains rows (`explain`, `report`): one flag per option (`--samples`,
 * `--threshold`...), and the mapping back to each chosen method's options.
 */
import { explainerFlags, flagKey, optionInfo } from '../local/options.js';
import { localExplainers } from '../local/registry.js';
import type { LocalExplainer } from '../local/types.js';
import { InputError } from '../util/errors.js';

const ENTRIES = Object.values(localExplainers) as LocalExplainer[];

/** yargs options for every local method's flags (no defaults: each method's schema has its own). */
export function localMethodFlags(): ReturnType<typeof explainerFlags> {
  return explainerFlags(ENTRIES);
}

/**
 * The options of `entries` given on the command line (library names), after checking that no
 * given method flag belongs only to methods that were not chosen.
 *
 * @throws InputError naming a flag that no chosen method takes.
 */
export function methodOptionsFromArgs(argv: Record<string, unknown>, chosen: readonly LocalExplainer[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const used = new Set<string>();
  for (const e of chosen) {
    out[e.name] = {};
    for (const o of optionInfo(e)) {
      const v = argv[flagKey(o.flag)];
      if (v === undefined) continue;
      out[e.name][o.key] = v;
      used.add(o.flag);
    }
  }
  for (const e of ENTRIES) {
    for (const o of optionInfo(e)) {
      if (used.has(o.flag) || argv[flagKey(o.flag)] === undefined) continue;
      const owners = ENTRIES.filter((x) => optionInfo(x).some((y) => y.flag === o.flag)).map((x) => x.name);
      throw new InputError(`applies to ${owners.join(', ')}, not to ${chosen.map((c) => c.name).join(', ')}`, { flag: o.flag });
    }
  }
  return out;
}

