/**
 * `distill extract`: global rules for a model (CART, TREPAN, MofN, CRED, DeepRED), written as a
 * rule set JSON with provenance and held-out fidelity.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import type { Extractor } from '../../global/types.js';
import { countRules } from '../../rules/countRules.js';
import { renderRuleSet, ruleSetCaveats } from '../../rules/render.js';
import type { RuleSet } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { emit, note, progress, warn, type GlobalArgs, chooseFormat } from '../context.js';
import { dataOptions, loadDataFromArgs, type DataArgs } from '../data-options.js';
import { loadModelFromArgs, modelOptions, type ModelArgs } from '../model-options.js';
import { workersOption } from '../scale-options.js';
import { resolveWorkers } from '../../scale/workers.js';

interface ExtractArgs extends GlobalArgs, DataArgs, ModelArgs {
  workers?: number;
  method: string;
  samples?: number;
  maxDepth?: number;
  maxLeaves?: number;
  minSamples?: number;
  maxNodes?: number;
  holdOut?: number;
  options?: string;
}

/** Flag → the option names it sets, first match in the method's defaults wins. */
const FLAG_OPTIONS: [flag: string, key: keyof ExtractArgs, names: string[]][] = [
  ['--samples', 'samples', ['samples']],
  ['--max-depth', 'maxDepth', ['maxDepth']],
  ['--max-leaves', 'maxLeaves', ['maxLeaves']],
  ['--min-samples', 'minSamples', ['minSamples', 'minSamplesLeaf']],
  ['--max-nodes', 'maxNodes', ['maxNodes']],
  ['--hold-out', 'holdOut', ['holdOut']],
];

/**
 * The extractor options the flags ask for: each flag maps to the method's option of that name
 * (`--min-samples` is TREPAN's `minSamples` and CART's `minSamplesLeaf`); `--options` adds any
 * option as JSON.
 *
 * @param extractors the registry of extractors (src/global/registry.ts), loaded by the caller.
 * @throws InputError for a flag the method has no option for, or `--options` that is not a JSON object
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function extractOptionsFromArgs(method: string, argv: Partial<ExtractArgs>, extractors: Record<string, Extractor<any>>): Record<string, unknown> {
  const ex = extractors[method];
  const defaults = (ex?.defaults ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (argv.options !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(argv.options));
    } catch (e) {
      throw new InputError(`expected a JSON object, e.g. '{"ccpAlpha":0.01}': ${(e as Error).message}`, { flag: '--options' });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError('expected a JSON object', { flag: '--options' });
    Object.assign(out, parsed);
  }
  for (const [flag, key, names] of FLAG_OPTIONS) {
    const v = argv[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || Number.isNaN(v)) throw new InputError(`expected a number, got ${JSON.stringify(v)}`, { flag });
    const name = names.find((n) => Object.hasOwn(defaults, n));
    if (!name) throw new InputError(`method ${method} has no such option (its options: ${Object.keys(defaults).join(', ')})`, { flag });
    out[name] = v;
  }
  return out;
}

/** Summary: size and held-out fidelity on one line, then a `note:` line per caveat (a budget that cut the search). */
export function extractSummary(rs: RuleSet, opts: { caveats?: boolean } = {}): string {
  const c = countRules(rs);
  const unit = rs.surrogate.kind === 'tree' ? 'leaves' : 'rules';
  let s = `${rs.provenance.method}: ${c.rules} ${unit}, ${c.conditions} conditions, ${c.features} features`;
  if (rs.fidelity) {
    const f = rs.fidelity;
    const ci = f.ci95 ? ` [${f.ci95[0].toFixed(3)}, ${f.ci95[1].toFixed(3)}]` : '';
    s += `; fidelity (${f.metric}) ${f.value.toFixed(3)}${ci} on ${f.data}`;
  } else s += '; no held-out rows, fidelity not measured';
  if (opts.caveats !== false) for (const c of ruleSetCaveats(rs)) s += `\nnote: ${c}`;
  return s;
}

const command: CommandModule<GlobalArgs, ExtractArgs> = {
  ...COMMAND_SUMMARIES.extract,
  // Async: the methods come from the registry of extractors, loaded only for this command.
  builder: async (y: Argv<GlobalArgs>) =>
    y
      .options(modelOptions)
      .options(dataOptions)
      .options({
        method: { type: 'string', demandOption: true, describe: 'Extraction method', choices: (await import('../../global/registry.js')).extractorNames() },
        samples: { type: 'number', describe: 'cart: new rows drawn from the data marginals and labelled by the model (default 10000)' },
        'max-depth': { type: 'number', describe: 'Maximum tree depth (cart)' },
        'max-leaves': { type: 'number', describe: 'Maximum number of leaves (cart)' },
        'min-samples': { type: 'number', describe: 'trepan: rows per node (sampled as needed); cart: minimum rows per leaf' },
        'max-nodes': { type: 'number', describe: 'trepan: maximum number of split nodes' },
        'hold-out': { type: 'number', describe: 'Share of the data held out to measure fidelity (default 0.2)' },
        options: { type: 'string', describe: 'Further method options as a JSON object, e.g. \'{"ccpAlpha":0.01}\'' },
        workers: { ...workersOption.workers, describe: 'Worker threads labelling large samples (cart, trepan; default: the number of cores; 1: none). The output is the same whatever the number' },
      })
      .example('$0 extract --model model/ --data builtin:iris --method cart --out rules.json', 'A decision tree, fidelity on stderr')
      .example('$0 extract --model net.onnx --data train.csv --method trepan --max-nodes 8 --format text', 'TREPAN rules as text')
      .example('$0 extract --model http://host:8501/v1/models/m:predict --data train.csv --method cart --samples 20000', 'Rules for a served model') as unknown as Argv<ExtractArgs>,
  handler: async (argv: ArgumentsCamelCase<ExtractArgs>) => {
    const format = chooseFormat(argv.format, ['json', 'text']);
    const [{ extractors, extractRules }, { exportRuleSet }] = await Promise.all([import('../../global/registry.js'), import('../../rules/io.js')]);
    const options = extractOptionsFromArgs(argv.method, argv, extractors);
    const workers = resolveWorkers(argv.workers);
    // Held column by column: what the extractors read (a quarter of the memory of row arrays).
    const data = await loadDataFromArgs(argv, { columns: true });
    const { withWorkers } = await import('../../scale/pool.js');
    // One onnxruntime thread here, as in each worker thread: --workers is the parallelism.
    const { model, reason } = withWorkers(await loadModelFromArgs(argv, data, { threads: 1 }), workers);
    if (reason) note(argv, reason);
    const bar = progress(argv);
    try {
      const rs = await extractRules(argv.method, { model, data, seed: argv.seed, progress: bar, warn: (m) => {
        bar.stop();
        warn(argv, m);
      } }, options);
      bar.stop();
      const summary = extractSummary(rs);
      if (format === 'json') {
        await emit(argv, exportRuleSet(rs));
        note(argv, summary);
      } else {
        // the rules' text carries the caveats already
        await emit(argv, `${renderRuleSet(rs)}\n\n${extractSummary(rs, { caveats: false })}\n`);
      }
    } finally {
      bar.stop();
      await model.dispose();
    }
  },
};

export default command;
