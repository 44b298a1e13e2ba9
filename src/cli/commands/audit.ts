/**
 * `distill audit`: the whole audit of a model in one command — rules extracted with every method
 * that applies, scored on test rows, a sample of rows explained, the columns ranked — written as a
 * folder: report.html, every JSON artefact and a manifest with hashes, options, seed and timings.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import type { AuditResult, AuditStepEvent } from '../../report/audit.js';
import { InputError } from '../../util/errors.js';
import { writeFolderAtomic } from '../../util/files.js';
import { note, progress, type GlobalArgs } from '../context.js';
import { dataOptions, loadDataFromArgs, type DataArgs } from '../data-options.js';
import { loadModelFromArgs, modelOptions, type ModelArgs } from '../model-options.js';
import { parseRowList } from './report.js';

interface AuditArgs extends GlobalArgs, DataArgs, ModelArgs {
  test?: string;
  testShare?: number;
  rows?: string;
  methods?: string;
  explainMethods?: string;
  extractOptions?: string;
  importanceRows?: number;
  faithfulness?: number;
  bootstrap?: number;
  title?: string;
  force: boolean;
  [flag: string]: unknown;
}

/** The audit folder's manifest format. */
export const AUDIT_FORMAT = 'surrogate-distill/audit' as const;

/** Default share of the data held out as test rows (the library's AUDIT_TEST_SHARE, for the help text without loading it). */
const TEST_SHARE = 0.25;
/** Default rows of the column importance (the library's IMPORTANCE_ROWS). */
const IMPORTANCE_ROWS = 40;

/**
 * Reads `--extract-options`: a JSON object of per-method option objects.
 *
 * @throws InputError naming the flag for text that is not such an object, or an unknown method.
 * @example
 * parseExtractOptions('{"cart":{"samples":500}}', ['cart', 'trepan']); // { cart: { samples: 500 } }
 */
export function parseExtractOptions(text: string | undefined, known: readonly string[]): Record<string, Record<string, unknown>> {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(text));
  } catch (e) {
    throw new InputError(`expected a JSON object of method options, e.g. '{"cart":{"samples":2000}}': ${(e as Error).message}`, { flag: '--extract-options' });
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(parsed)) throw new InputError('expected a JSON object of method options', { flag: '--extract-options' });
  for (const [m, v] of Object.entries(parsed)) {
    if (!known.includes(m)) throw new InputError(`unknown extraction method "${m}"; methods: ${known.join(', ')}`, { flag: '--extract-options' });
    if (!isObject(v)) throw new InputError(`the options of ${m} must be a JSON object`, { flag: '--extract-options' });
  }
  return parsed as Record<string, Record<string, unknown>>;
}

/** Whether `inner` is `outer` or lies inside it. */
function within(inner: string, outer: string): boolean {
  const r = relative(resolve(outer), resolve(inner));
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[a-zA-Z]:/.test(r));
}

/** A `sha256:` hash of some bytes. */
function sha256(data: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** One line per step on stderr: `audit [2/9] extract cart: ok in 1.2 s (tree, held-out fidelity 0.967)`. */
function stepLine(e: AuditStepEvent): string | null {
  if (e.status === 'start') return null;
  const time = e.millis !== undefined ? ` in ${(e.millis / 1000).toFixed(1)} s` : '';
  return `audit [${e.index}/${e.total}] ${e.step}: ${e.status}${time}${e.detail ? ` (${e.detail})` : ''}`;
}

/**
 * The files of the audit folder: the report, the rule sets, the explanations, the report's input
 * and the manifest (hashes of all the others, options, seed, steps with their timings; timings are
 * left out when SOURCE_DATE_EPOCH is set, so that the same seed gives the same bytes).
 */
export async function auditFiles(audit: AuditResult, options: Record<string, unknown>, meta: { model: AuditResult['report']['model']['identity']; data: string; test: string | null; seed: number }): Promise<Record<string, string>> {
  const { renderReport } = await import('../../report/renderReport.js');
  const { exportRuleSet } = await import('../../rules/io.js');
  const { exportExplanations } = await import('../../local/schema.js');
  const { creationTime, TOOL } = await import('../../rules/provenance.js');
  const files: Record<string, string> = {};
  files['report.html'] = await renderReport(audit.report);
  files['report.json'] = JSON.stringify(audit.report, null, 2) + '\n';
  for (const r of audit.ruleSets) files[`rules-${r.method}.json`] = exportRuleSet(r.ruleSet);
  for (const e of audit.explanations) files[`explanations-${e.method}.json`] = exportExplanations(e.file);
  if (audit.importance) {
    const { exportImportance } = await import('../../local/importance.js');
    files[`importance-explanations-${audit.importance.method}.json`] = exportExplanations(audit.importance.file);
    files['importance.json'] = exportImportance(audit.importance.summary);
  }
  const reproducible = process.env.SOURCE_DATE_EPOCH !== undefined;
  const manifest = {
    format: AUDIT_FORMAT,
    version: 1,
    tool: TOOL,
    createdAt: creationTime(),
    seed: meta.seed,
    model: meta.model,
    data: { source: meta.data, hash: audit.dataHashes.train, rows: audit.split.trainRows },
    test: { source: meta.test ?? meta.data, hash: audit.dataHashes.test, rows: audit.split.testRows, split: audit.split.test, share: audit.split.testShare },
    options,
    rows: audit.rows,
    steps: audit.steps.map((s) => ({ step: s.step, status: s.status, detail: s.detail, seconds: reproducible ? null : Math.round(s.millis) / 1000 })),
    timings: reproducible ? 'left out: SOURCE_DATE_EPOCH is set (byte-identical output); they were printed on stderr' : 'seconds of wall time per step',
    files: Object.keys(files)
      .sort()
      .map((path) => ({ path, bytes: Buffer.byteLength(files[path]), hash: sha256(files[path]) })),
  };
  files['manifest.json'] = JSON.stringify(manifest, null, 2) + '\n';
  return files;
}

const command: CommandModule<GlobalArgs, AuditArgs> = {
  ...COMMAND_SUMMARIES.audit,
  // Async: the local methods' flags come from their registry (and zod), loaded only for this command.
  builder: async (y: Argv<GlobalArgs>) => {
    const { localMethodFlags } = await import('../local-options.js');
    return y
      .options(modelOptions)
      .options(dataOptions)
      .options({
        test: { type: 'string', describe: 'Test rows (same columns as --data); default: a seeded stratified share of --data held out' },
        'test-share': { type: 'number', describe: `Share of --data held out as test rows when --test is absent (default ${TEST_SHARE})` },
        rows: { type: 'string', describe: 'Further comma-separated 0-based test rows to explain (besides the most confident per class and the least confident)' },
        methods: { type: 'string', describe: 'Comma-separated extraction methods (default: every one of distill extract that applies to the model)' },
        'explain-methods': { type: 'string', describe: 'Comma-separated local methods for the chosen rows (default: lime, anchors, counterfactual where they apply)' },
        'extract-options': { type: 'string', describe: 'Per-method extraction options over the readable defaults, as JSON, e.g. \'{"cart":{"maxLeaves":8}}\'' },
        'importance-rows': { type: 'number', describe: `Test rows whose attributions make the column importance (default ${IMPORTANCE_ROWS}; 0: none)` },
        faithfulness: { type: 'number', describe: 'Random subsets per n of Sensitivity-n for the explained rows (default 32; 0: not measured)' },
        bootstrap: { type: 'number', describe: 'Bootstrap resamples for the fidelity intervals (default 1000)' },
        title: { type: 'string', describe: 'Report title (default "Model audit")' },
        force: { type: 'boolean', default: false, describe: 'Replace an existing non-empty --out folder' },
      })
      .options(localMethodFlags())
      .example('$0 audit --model model.keras --data train.csv --out audit/', 'Audit a Keras model; a quarter of the rows held out for testing')
      .example('$0 audit --model clf.onnx --data train.csv --test test.csv --rows 3,17 --out audit/ --force', 'Given test rows, two more rows explained, the old folder replaced') as unknown as Argv<AuditArgs>;
  },
  handler: async (argv: ArgumentsCamelCase<AuditArgs>) => {
    if (!argv.out) throw new InputError('expected the folder to write the audit to', { flag: '--out' });
    const out = String(argv.out);
    if (argv.format !== undefined) throw new InputError('audit writes a folder (report.html, JSON files, manifest.json); it takes no --format', { flag: '--format' });
    for (const [flag, path] of [['--model', argv.model], ['--data', argv.data], ['--test', argv.test]] as const) {
      if (path && !/^[a-z]+:/i.test(path) && (within(path, out) || within(out, path))) throw new InputError(`the output folder ${out} would overwrite ${flag} ${path}`, { flag: '--out' });
    }
    for (const [flag, v, min] of [['--importance-rows', argv.importanceRows, 0], ['--bootstrap', argv.bootstrap, 0], ['--faithfulness', argv.faithfulness, 0]] as const) {
      if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new InputError(`expected an integer >= ${min}, got ${v}`, { flag });
    }
    // --out was checked against the inputs, and for --force, before any work (src/cli/main.ts).
    const list = (s: string | undefined) => (s === undefined ? undefined : String(s).split(',').map((x) => x.trim()).filter(Boolean));
    const methods = list(argv.methods);
    const localMethods = list(argv.explainMethods);
    const { extractorNames } = await import('../../global/registry.js');
    const { localExplainer, localExplainerNames } = await import('../../local/registry.js');
    const { methodOptionsFromArgs } = await import('../local-options.js');
    const { AUDIT_LOCAL_METHODS, runAudit } = await import('../../report/audit.js');
    const extractOptions = parseExtractOptions(argv.extractOptions, extractorNames());
    const localOptions = methodOptionsFromArgs(argv, (localMethods ?? AUDIT_LOCAL_METHODS.filter((m) => localExplainerNames().includes(m))).map((m) => localExplainer(m, '--explain-methods')));
    const data = await loadDataFromArgs(argv);
    const test = argv.test ? await loadDataFromArgs({ ...argv, data: argv.test }) : undefined;
    // Without --test the number of test rows is known after the split, where runAudit checks the range.
    const rows = argv.rows !== undefined ? parseRowList(argv.rows, test?.rows.length ?? Number.MAX_SAFE_INTEGER, '--rows') : [];
    const model = await loadModelFromArgs(argv, data);
    const bar = progress(argv);
    try {
      const audit = await runAudit(model, data, {
        test,
        testShare: argv.testShare,
        seed: argv.seed,
        extractors: methods,
        extractOptions,
        localMethods,
        localOptions,
        rows,
        importanceRows: argv.importanceRows,
        faithfulness: argv.faithfulness,
        bootstrap: argv.bootstrap,
        title: argv.title,
        progress: bar,
        onStep: (e) => {
          const line = stepLine(e);
          if (line) {
            bar.stop();
            note(argv, line);
          }
        },
      });
      bar.stop();
      const options = {
        testShare: test ? null : (argv.testShare ?? TEST_SHARE),
        methods: methods ?? null,
        explainMethods: localMethods ?? null,
        extractOptions,
        localOptions,
        rows,
        importanceRows: argv.importanceRows ?? IMPORTANCE_ROWS,
        faithfulness: argv.faithfulness ?? null,
        bootstrap: argv.bootstrap ?? null,
      };
      const files = await auditFiles(audit, options, { model: model.identity, data: data.source, test: test?.source ?? null, seed: argv.seed });
      await writeFolderAtomic(out, async (tmp) => {
        for (const [name, content] of Object.entries(files)) {
          await mkdir(dirname(join(tmp, name)), { recursive: true });
          await writeFile(join(tmp, name), content);
        }
      });
      const failed = audit.steps.filter((s) => s.status === 'failed').length;
      note(argv, `audit: wrote ${Object.keys(files).length} files to ${out}${failed ? `; ${failed} step(s) failed (listed in the report)` : ''}`);
    } finally {
      bar.stop();
      await model.dispose();
    }
  },
};

export default command;
