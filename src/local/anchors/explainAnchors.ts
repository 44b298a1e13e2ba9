/**
 * `explainAnchors`: an Anchors explanation (Ribeiro, Singh, Guestrin 2018) of one tabular
 * prediction, returned as a rule set of the common representation (a decision list with one rule
 * and no default), so it can be exported, applied and scored like any other surrogate.
 *
 * Predicates are the instance's quartile bin of each numeric feature (`le` / `interval` / `gt`)
 * and its category of each categorical feature (`eq`). Samples under an anchor are, by default,
 * data rows that satisfy it (the paper's D(·|A)); see tabular.ts for both samplers.
 */
import { z } from 'zod';
import type { Dataset, Row } from '../../data/types.js';
import type { TabularModel } from '../../model/types.js';
import { makeProvenance } from '../../rules/provenance.js';
import type { RuleSet } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { parseOptions } from '../../util/options.js';
import { createRng, DEFAULT_SEED, substream } from '../../util/rng.js';
import { klLower, klUpper } from './kl.js';
import { anchorBeam } from './beam.js';
import { anchorTabular, coverageRows, dataSampler, independentSampler, RowLabels } from './tabular.js';
import { AnchorsOptionsSchema } from './options.js';
import type { ExplanationT } from '../schema.js';
import type { LocalContext, MethodResult } from '../types.js';

/** Options of {@link explainAnchors}: those of the registry ({@link AnchorsOptionsSchema}) and the call's own. */
export const ExplainAnchorsOptionsSchema = AnchorsOptionsSchema.extend({
  /** Seed (default 42). */
  seed: z.number().int().default(DEFAULT_SEED),
  /** Index of the row in the data, recorded in the rule's id (default none). */
  rowId: z.number().int().min(0).optional(),
  /** Class index the anchor must keep (default: the model's prediction for the row). */
  label: z.number().int().min(0).optional(),
});

/** Options of {@link explainAnchors} (see {@link ExplainAnchorsOptionsSchema}); all optional. */
export type AnchorsOptions = z.input<typeof ExplainAnchorsOptionsSchema>;

/**
 * Finds an anchor for the model's prediction on `row`: a conjunction of predicates under which the
 * model keeps its prediction with precision at least `threshold` (with confidence 1 − δ), and of
 * the highest coverage among the candidates the beam search reaches that do. Defaults: threshold
 * 0.95, δ 0.1, τ 0.15, beam size 2, 10 samples per pull, rows drawn from the data that satisfy the
 * anchor (`sampler: 'data'`), coverage counted on up to 10000 data rows.
 *
 * The result is a rule set (kind `list`, one rule, default null) whose rule carries
 * `stats.precision` (the bandit's estimate) and `stats.coverage` / `support` (on the coverage
 * rows); `fidelity` holds the same precision with its KL confidence bounds. When no candidate
 * reaches the threshold, the most precise one is returned and `provenance.options.confident` is
 * false (`rules show`, the explanation text and the report say the search failed).
 *
 * @throws InputError for regression models, a row of the wrong width or bad options.
 * @example
 * const rs = await explainAnchors(model, iris, iris.rows[100], { seed: 1 });
 * rs.surrogate.rules[0]; // { conditions: [{ type: 'gt', feature: 'petal_width', threshold: 1.8 }], output: { class: 'virginica' }, stats: {...} }
 */
export async function explainAnchors(model: TabularModel, train: Dataset, row: Row, opts: AnchorsOptions = {}): Promise<RuleSet> {
  return anchorFor(model, train, row, opts, new RowLabels(model, train));
}

/** {@link explainAnchors} with the data rows' labels shared between explanations (`labels`). */
async function anchorFor(model: TabularModel, train: Dataset, row: Row, opts: AnchorsOptions, labels: RowLabels): Promise<RuleSet> {
  if (model.task !== 'classification') throw new InputError('anchors explain classifiers only; use --method lime for a regression model', { flag: '--method' });
  const d = train.schema.features.length;
  if (row.length !== d) throw new InputError(`the row has ${row.length} values, expected ${d}`, { file: train.source });
  const { seed, coverageSamples: maxCoverageRows, discretizer, sampler: kind, rowId, label: wanted, ...search } = parseOptions(ExplainAnchorsOptionsSchema, opts, { method: 'anchors' });
  const at = anchorTabular(train, row, discretizer);
  const [predicted] = await model.predictLabels([row]);
  const label = wanted ?? predicted;
  if (label >= model.outputSize) throw new InputError(`unknown class index ${label}`, { flag: '--class' });
  const coverage = coverageRows(at, maxCoverageRows, createRng(substream(seed, 'coverage')));
  const rng = createRng(seed);
  const sampler = kind === 'data' ? dataSampler(at, labels, label, predicted, coverage, rng) : independentSampler(at, model, label, coverage, rng);
  const r = await anchorBeam(sampler, search);
  const classes = model.classes ?? (model.schema.target.kind === 'class' ? model.schema.target.classes : []);
  const { maxConfirmSamples: _cap, maxAnchorSize, ...recorded } = search;
  const options = { ...recorded, maxAnchorSize: maxAnchorSize ?? null, sampler: kind, coverageSamples: maxCoverageRows, discretizer, row: rowId ?? null, confident: r.confident };
  return {
    format: 'surrogate-distill/rules',
    version: 1,
    task: 'classification',
    schema: { features: train.schema.features, target: model.schema.target },
    surrogate: {
      kind: 'list',
      rules: [
        {
          id: rowId !== undefined ? `anchor-row-${rowId}` : 'anchor',
          conditions: r.anchor.map((p) => at.predicates[p].condition),
          output: { class: classes[label] ?? String(label) },
          stats: { support: r.covered, precision: r.precision, coverage: r.coverage },
        },
      ],
      default: null,
    },
    provenance: makeProvenance({ method: 'anchors', options, seed, samples: r.totalSamples, data: train.source, model: model.identity }),
    fidelity: {
      data: `${r.samples} ${kind === 'data' ? 'data rows that satisfy the anchor' : 'rows drawn under the anchor (anchored columns redrawn independently)'} (precision with two-sided 95% KL bounds)`,
      rows: r.samples,
      metric: 'agreement',
      value: r.precision,
      ci95: [klLower(r.precision, Math.log(2 / 0.05) / Math.max(1, r.samples)), klUpper(r.precision, Math.log(2 / 0.05) / Math.max(1, r.samples))],
      completeness: r.coverage,
    },
  };
}

/**
 * The registry's Anchors: one rule explanation per row of `ctx`, its rule set in `rule`, its
 * precision (with KL bounds) and coverage as its faithfulness.
 */
export async function anchorsMethod(ctx: LocalContext, o: z.output<typeof AnchorsOptionsSchema>): Promise<MethodResult> {
  const { model } = ctx;
  const classes = model.classes ?? [];
  const explanations: ExplanationT[] = [];
  // every data row is labelled at most once for the whole batch of explanations
  const labels = new RowLabels(model, ctx.data);
  let samples = 0;
  let options: Record<string, unknown> = {};
  for (let i = 0; i < ctx.rows.length; i++) {
    ctx.progress?.(i, ctx.rows.length, 'anchors');
    const label = ctx.targets[i];
    const rs = await anchorFor(model, ctx.data, ctx.rows[i], { ...o, seed: ctx.seed, rowId: ctx.rowIds[i], label }, labels);
    const { row: _row, confident, ...used } = rs.provenance.options as Record<string, unknown>;
    options = used;
    samples += rs.provenance.samples ?? 0;
    const k = model.outputSize;
    let argmax = 0;
    for (let c = 1; c < k; c++) if (ctx.outputs[i * k + c] > ctx.outputs[i * k + argmax]) argmax = c;
    const f = rs.fidelity!;
    explanations.push({
      row: ctx.rowIds[i],
      method: 'anchors',
      class: classes[label] ?? String(label),
      classIndex: label,
      predictedClass: classes[argmax] ?? String(argmax),
      prediction: ctx.outputs[i * k + label],
      base: null,
      instance: ctx.rows[i].map((v) => (v === undefined ? null : v)),
      missing: ctx.data.schema.features.filter((_, j) => ctx.rows[i][j] === null || ctx.rows[i][j] === undefined).map((f) => f.name),
      attributions: [],
      faithfulness: {
        baseline: used.sampler === 'independent' ? 'rows drawn under the rule, anchored columns redrawn independently' : 'data rows that satisfy the rule',
        sensitivityN: [],
        deletion: null,
        precision: { value: f.value, ci95: f.ci95, samples: f.rows },
        coverage: f.completeness ?? 0,
      },
      rule: rs,
      confident: confident === true,
    });
  }
  ctx.progress?.(ctx.rows.length, ctx.rows.length, 'anchors');
  return { explanations, options, samples };
}
