/**
 * `distill demo`: the quick start's main job on built-in data. Trains a network, extracts global
 * rules with two methods, explains three rows, prints a fidelity table and writes the model, the
 * rules, the explanations and an HTML report into one folder.
 */
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import type { Dataset } from '../../data/types.js';
import type { TabularModel } from '../../model/types.js';
import type { ReportRuleSet } from '../../report/index.js';
import type { RuleSet } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { writeFile } from 'node:fs/promises';
import { writeFolderAtomic } from '../../util/files.js';
import { ioOf, note, progress, type GlobalArgs } from '../context.js';

/**
 * Options the demo passes to each method: small enough to read in the report (the methods'
 * defaults aim at fidelity on larger data).
 */
export const DEMO_METHOD_OPTIONS: Record<string, Record<string, unknown>> = {
  cart: { maxLeaves: 8 },
  trepan: { maxNodes: 6 },
};

/** Local methods the demo explains its rows with (any of the local registry). */
export const DEMO_LOCAL_METHODS = ['lime', 'anchors', 'shap'];

/** Rows the demo explains (of different predicted classes where it can): enough for the report's view across rows. */
export const DEMO_ROWS = 3;

interface DemoArgs extends GlobalArgs {
  dataset: string;
  methods: string;
}

/** What the demo produced, as printed with `--format json`. */
export interface DemoSummary {
  data: string;
  seed: number;
  train: { rows: number; epochs: number; validationAccuracy: number | null };
  test: { rows: number; modelAccuracy: number | null };
  ruleSets: { method: string; file: string; fidelity: number; ci95: [number, number] | null; completeness: number | null; rules: number; conditions: number; accuracy: number | null }[];
  explained: { row: number; predicted: string | null; anchor: string[] }[];
  files: string[];
}

/**
 * Picks up to `k` rows the model assigns to different classes (the first row of each class in
 * row order), so that the explanations show different decisions.
 */
async function pickRows(model: TabularModel, data: Dataset, k: number): Promise<number[]> {
  const labels = await model.predictLabels(data.rows);
  const seen = new Set<number>();
  const rows: number[] = [];
  for (let i = 0; i < labels.length && rows.length < k; i++) {
    if (seen.has(labels[i])) continue;
    seen.add(labels[i]);
    rows.push(i);
  }
  for (let i = 0; i < labels.length && rows.length < k; i++) if (!rows.includes(i)) rows.push(i);
  return rows;
}

function fmt(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(3);
}

/** A plain text table with left-aligned first columns and right-aligned numbers. */
function textTable(head: string[], rows: string[][], numericFrom: number): string {
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (j >= numericFrom ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const command: CommandModule<GlobalArgs, DemoArgs> = {
  ...COMMAND_SUMMARIES.demo,
  builder: (y: Argv<GlobalArgs>) =>
    y
      .option('out', { type: 'string', default: 'distill-demo', describe: 'Folder to write the model, rules, explanations and report.html into (whole, when all is done)' })
      .option('force', { type: 'boolean', default: false, describe: 'Replace the --out folder when it exists and is not empty' })
      .option('dataset', { type: 'string', default: 'iris', describe: 'Built-in classification dataset (see distill datasets)' })
      .option('methods', { type: 'string', default: 'cart,trepan', describe: 'Comma-separated global extraction methods' })
      .option('format', { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'text: a fidelity table; json: a summary of what was made' })
      .example('$0 demo', 'Everything on iris, into ./distill-demo')
      .example('$0 demo --out /tmp/demo --seed 7', 'Another folder and seed')
      .example('$0 demo --dataset penguins --format json', 'Penguins, with a JSON summary on stdout') as unknown as Argv<DemoArgs>,
  handler: async (argv) => {
    const { listBuiltins } = await import('../../data/builtins.js');
    const dir = argv.out ?? 'distill-demo';
    const seed = argv.seed;
    const builtin = listBuiltins().find((b) => b.name === argv.dataset);
    if (!builtin) throw new InputError(`no built-in dataset "${argv.dataset}"; choose one of ${listBuiltins().map((b) => b.name).join(', ')}`, { flag: '--dataset' });
    if (builtin.task !== 'classification') throw new InputError(`"${argv.dataset}" is a regression dataset; the demo needs classes`, { flag: '--dataset' });
    const methods = argv.methods.split(',').map((m) => m.trim()).filter(Boolean);
    if (!methods.length) throw new InputError('expected at least one method', { flag: '--methods' });

    // The whole pipeline loads once the flags are checked: trainer (tfjs), extractors, explainers, report (vega).
    const [{ loadDataset, splitDataset }, { extractRules }, { explainRows, exportExplanations }, { trainMlp }, { buildReport, MODEL_ACCURACY_FACT, renderReport }, { exportRuleSet }] =
      await Promise.all([
        import('../../data/index.js'),
        import('../../global/registry.js'),
        import('../../local/index.js'),
        import('../../model/index.js'),
        import('../../report/index.js'),
        import('../../rules/index.js'),
      ]);
    const spec = `builtin:${builtin.name}`;
    const ds = await loadDataset(spec);
    const [train, test] = splitDataset(ds, 0.8, seed);
    const bar = progress(argv);
    const files: string[] = [];
    const write = async (name: string, text: string) => {
      await writeFile(join(workDir, name), text);
      files.push(join(dir, name));
    };
    let model: TabularModel | null = null;
    let workDir = dir;
    try {
      // Everything is written into a temporary sibling, renamed to --out when complete.
      const { input, m, rows } = await writeFolderAtomic(dir, async (work) => {
        workDir = work;
        note(argv, `demo: training a network on ${train.rows.length} rows of ${spec}`);
        const trained = await trainMlp(train, { seed, backend: argv.backend }, bar);
        bar.stop();
        model = trained.model;
        await trained.writeFiles(join(workDir, 'model'));
        files.push(join(dir, 'model') + '/');

        const ruleSets: RuleSet[] = [];
        for (const method of methods) {
          note(argv, `demo: extracting rules with ${method}`);
          const rs = await extractRules(method, { model, data: train, seed, progress: bar }, DEMO_METHOD_OPTIONS[method] ?? {});
          bar.stop();
          ruleSets.push(rs);
          await write(`rules-${method}.json`, exportRuleSet(rs));
        }

        const rows = await pickRows(model, test, DEMO_ROWS);
        note(argv, `demo: explaining rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]} of the held-out data with ${DEMO_LOCAL_METHODS.join(', ')}`);
        const local = await explainRows(DEMO_LOCAL_METHODS, { model, data: train, rows: rows.map((r) => test.rows[r]), rowIds: rows, seed, progress: bar });
        bar.stop();
        await write('explanations.json', exportExplanations(local));
        for (const e of local.explanations) if (e.rule) await write(`${e.method}-row-${e.row}.json`, exportRuleSet(e.rule));

        const m = trained.metrics;
        const input = await buildReport(model, test, ruleSets, {
          names: methods,
          dataLabel: `the ${test.rows.length} rows of ${spec} held out from training (20%)`,
          explanations: local,
          seed,
          title: `Surrogate report: ${builtin.name} demo`,
          modelFacts: {
            'hidden layers': m.options.hidden.join(', '),
            'epochs (best)': `${m.epochs} (${m.bestEpoch})`,
            ...(m.validation?.accuracy !== undefined ? { 'validation accuracy': m.validation.accuracy } : {}),
          },
        });
        await write('report.html', await renderReport(input));
        return { input, m, rows };
      });

      const modelAccuracy = (input.model.facts?.[MODEL_ACCURACY_FACT] as number | undefined) ?? null;
      const summary: DemoSummary = {
        data: spec,
        seed,
        train: { rows: train.rows.length, epochs: m.epochs, validationAccuracy: m.validation?.accuracy ?? null },
        test: { rows: test.rows.length, modelAccuracy },
        ruleSets: input.ruleSets.map((r: ReportRuleSet, i) => ({
          method: methods[i],
          file: join(dir, `rules-${methods[i]}.json`),
          fidelity: r.score!.fidelity.value,
          ci95: r.score!.fidelity.ci95,
          completeness: r.score!.completeness,
          rules: r.score!.complexity.rules,
          conditions: r.score!.complexity.conditions,
          accuracy: r.score!.accuracy ?? null,
        })),
        explained: rows.map((r) => {
          const e = input.explanations.find((x) => x.row === r);
          return { row: r, predicted: e?.predictedClass ?? e?.class ?? null, anchor: input.explanations.find((x) => x.row === r && x.rule)?.rule?.conditions ?? [] };
        }),
        files,
      };
      if (argv.format === 'json') {
        ioOf(argv).stdout.write(JSON.stringify(summary, null, 2) + '\n');
        return;
      }
      const table = textTable(
        ['method', 'fidelity', '95% interval', 'completeness', 'rules', 'conditions', 'accuracy'],
        summary.ruleSets.map((r) => [r.method, fmt(r.fidelity), r.ci95 ? `${fmt(r.ci95[0])}-${fmt(r.ci95[1])}` : '-', fmt(r.completeness), String(r.rules), String(r.conditions), fmt(r.accuracy)]),
        1,
      );
      const lines = [
        `Trained a network on ${train.rows.length} rows of ${spec} (${m.epochs} epochs, validation accuracy ${fmt(m.validation?.accuracy)}); its accuracy on the ${test.rows.length} held-out rows is ${fmt(modelAccuracy)}.`,
        '',
        `Fidelity of the rules to the network on the ${test.rows.length} held-out rows (accuracy: against the true labels):`,
        table,
        '',
        ...summary.explained.map((e) => `Row ${e.row}: the network says ${e.predicted ?? '?'}; anchor: IF ${e.anchor.length ? e.anchor.join(' AND ') : '(any row)'}`),
        '',
        `Wrote ${dir}/: model/, ${files.filter((f) => !f.endsWith('/')).map((f) => f.slice(dir.length + 1)).join(', ')}`,
        `Open ${join(dir, 'report.html')} in a browser.`,
      ];
      ioOf(argv).stdout.write(lines.join('\n') + '\n');
    } finally {
      bar.stop();
      await (model as TabularModel | null)?.dispose();
    }
  },
};

export default command;
