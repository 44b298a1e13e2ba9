/**
 * `distill explain`: local explanations of the model's predictions for chosen rows: LIME (weighted
 * conditions on the original columns) or Anchors (a high-precision IF-THEN rule per row).
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { alignRows } from '../../data/align.js';
import type { Dataset } from '../../data/types.js';
import { DISCRETIZERS, type DiscretizerKind } from '../../local/lime/discretize.js';
import type { FeatureSelection } from '../../local/lime/selection.js';
import { renderExplanations } from '../../local/render.js';
import { renderRule } from '../../rules/render.js';
import type { RuleSet } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { emit, note, progress, type GlobalArgs, chooseFormat } from '../context.js';
import { dataOptions, loadDataFromArgs, type DataArgs } from '../data-options.js';
import { loadModelFromArgs, modelOptions, type ModelArgs } from '../model-options.js';

interface ExplainArgs extends GlobalArgs, DataArgs, ModelArgs {
  row?: number;
  rows?: string;
  all: boolean;
  method: string;
  samples: number;
  features: number;
  discretizer: string;
  featureSelection: string;
  kernelWidth?: number;
  labels: number;
  sampleAround: string;
  sampling: string;
  stability: number;
  fidelitySamples: number;
  threshold: number;
}

/** Row indices chosen by --row / --rows / --all (exactly one). */
export function chooseRows(argv: { row?: number; rows?: string; all?: boolean }, count: number): number[] {
  const given = [argv.row !== undefined, argv.rows !== undefined, argv.all === true].filter(Boolean).length;
  if (given !== 1) throw new InputError('give exactly one of --row N, --rows A-B or --all', { flag: '--row' });
  if (argv.all) return Array.from({ length: count }, (_, i) => i);
  if (argv.row !== undefined) {
    if (!Number.isInteger(argv.row) || argv.row < 0 || argv.row >= count) throw new InputError(`expected a row index from 0 to ${count - 1}, got ${argv.row}`, { flag: '--row' });
    return [argv.row];
  }
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(String(argv.rows));
  if (!m) throw new InputError(`expected a range A-B of 0-based row indices, got "${argv.rows}"`, { flag: '--rows' });
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > b || b >= count) throw new InputError(`expected 0 <= A <= B <= ${count - 1}, got ${argv.rows}`, { flag: '--rows' });
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!allowed.includes(value as T)) throw new InputError(`expected one of ${allowed.join(', ')}, got "${value}"`, { flag });
  return value as T;
}

/** Text of one anchor: the rule with its precision and coverage. */
function anchorText(rs: RuleSet, row: number): string {
  const confident = rs.provenance.options.confident === true;
  const head = `row ${row}: ${confident ? 'anchor' : 'no anchor reached the precision threshold; best found'}`;
  return `${head}\n  ${renderRule(rs, 0)}\n`;
}

const command: CommandModule<GlobalArgs, ExplainArgs> = {
  command: 'explain',
  describe: 'Explain single predictions: LIME weights of conditions on the original columns, or an Anchors rule',
  // Async: the feature selections come from the LIME module, loaded only for this command.
  builder: async (y: Argv<GlobalArgs>) =>
    y
      .options(modelOptions)
      .options({ ...dataOptions })
      .options({
        row: { type: 'number', describe: 'Explain this row (0-based)' },
        rows: { type: 'string', describe: 'Explain rows A-B (0-based, inclusive)' },
        all: { type: 'boolean', default: false, describe: 'Explain every row' },
        method: { type: 'string', default: 'lime', choices: ['lime', 'anchors'], describe: 'Explanation method' },
        samples: { type: 'number', default: 5000, describe: 'LIME: neighbourhood size' },
        features: { type: 'number', default: 10, describe: 'LIME: features per explanation' },
        discretizer: { type: 'string', default: 'quartile', describe: 'LIME: quartile, decile, entropy or none (anchors: quartile or decile)' },
        'feature-selection': { type: 'string', default: 'auto', describe: `LIME: ${(await import('../../local/lime/selection.js')).FEATURE_SELECTIONS.join(', ')}` },
        'kernel-width': { type: 'number', describe: 'LIME: kernel width (default 0.75·sqrt(features))' },
        labels: { type: 'number', default: 1, describe: 'LIME: explain the K most probable classes' },
        'sample-around': { type: 'string', default: 'mean', choices: ['mean', 'instance'], describe: 'LIME: centre of the Gaussian for continuous features (no discretiser)' },
        sampling: { type: 'string', default: 'gaussian', choices: ['gaussian', 'lhs'], describe: 'LIME: Gaussian or Latin hypercube sampling (no discretiser)' },
        stability: { type: 'number', default: 0, describe: 'LIME: repeat under R seeds and report stability (R >= 2)' },
        'fidelity-samples': { type: 'number', default: 500, describe: 'LIME: fresh samples for local fidelity (0: off)' },
        threshold: { type: 'number', default: 0.95, describe: 'Anchors: precision threshold' },
      })
      .example('$0 explain --model models/iris --data builtin:iris --row 100', 'LIME for one row, as a ranked table')
      .example('$0 explain --model models/iris --data builtin:iris --rows 0-49 --format json --out why.json', 'A batch as JSON')
      .example('$0 explain --model models/iris --data builtin:iris --row 100 --method anchors', 'An anchor rule for one row')
      .example('$0 explain --model m --data d.csv --row 3 --stability 5 --discretizer none', 'Stability across 5 seeds') as unknown as Argv<ExplainArgs>,
  handler: async (argv: ArgumentsCamelCase<ExplainArgs>) => {
    const format = chooseFormat(argv.format, ['text', 'json']);
    const [{ explainAnchors }, { explainLime }, { FEATURE_SELECTIONS }, { exportExplanations }] = await Promise.all([
      import('../../local/anchors/explainAnchors.js'),
      import('../../local/lime/explainLime.js'),
      import('../../local/lime/selection.js'),
      import('../../local/schema.js'),
    ]);
    const ds = await loadDataFromArgs(argv);
    const chosen = chooseRows(argv, ds.rows.length);
    for (const [flag, v, min] of [['--samples', argv.samples, 2], ['--features', argv.features, 1], ['--labels', argv.labels, 1], ['--stability', argv.stability, 0], ['--fidelity-samples', argv.fidelitySamples, 0]] as const)
      if (!Number.isInteger(v) || v < min) throw new InputError(`must be an integer >= ${min}, got ${v}`, { flag });
    const model = await loadModelFromArgs(argv, ds);
    try {
      const rows = alignRows(ds, model.schema.features);
      const train: Dataset = { source: ds.source, schema: { features: model.schema.features, target: ds.schema.target }, rows, target: ds.target, missing: ds.missing };
      const bar = progress(argv);
      try {
        if (argv.method === 'anchors') {
          const disc = oneOf(argv.discretizer, ['quartile', 'decile'] as const, '--discretizer');
          const out: RuleSet[] = [];
          for (let i = 0; i < chosen.length; i++) {
            bar(i, chosen.length, 'anchors');
            out.push(await explainAnchors(model, train, rows[chosen[i]], { seed: argv.seed, threshold: argv.threshold, discretizer: disc, rowId: chosen[i] }));
          }
          bar(chosen.length, chosen.length, 'anchors');
          bar.stop();
          if (format === 'json') await emit(argv, JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
          else await emit(argv, out.map((rs, i) => anchorText(rs, chosen[i])).join('\n'));
          return;
        }
        const file = await explainLime(
          model,
          train,
          chosen.map((i) => rows[i]),
          {
            samples: argv.samples,
            numFeatures: argv.features,
            discretizer: oneOf<DiscretizerKind>(argv.discretizer, DISCRETIZERS, '--discretizer'),
            featureSelection: oneOf<FeatureSelection>(argv.featureSelection, FEATURE_SELECTIONS, '--feature-selection'),
            kernelWidth: argv.kernelWidth,
            topLabels: argv.labels,
            sampleAround: argv.sampleAround as 'mean' | 'instance',
            sampling: argv.sampling as 'gaussian' | 'lhs',
            stability: argv.stability,
            fidelitySamples: argv.fidelitySamples,
            seed: argv.seed,
            rowIds: chosen,
          },
          bar,
        );
        bar.stop();
        if (chosen.length > 1) note(argv, `explained ${chosen.length} rows`);
        await emit(argv, format === 'json' ? exportExplanations(file) : renderExplanations(file));
      } finally {
        bar.stop();
      }
    } finally {
      await model.dispose();
    }
  },
};

export default command;
