/**
 * `explainAnchors`: an Anchors explanation (Ribeiro, Singh, Guestrin 2018) of one tabular
 * prediction, returned as a rule set of the common representation (a decision list with one rule
 * and no default), so it can be exported, applied and scored like any other surrogate.
 *
 * Predicates are the instance's quartile bin of each numeric feature (`le` / `interval` / `gt`)
 * and its category of each categorical feature (`eq`). Samples under an anchor are training rows
 * drawn at random whose anchored features are replaced, where they fall outside the instance's
 * bin, by the value of a random training row inside it.
 */
import { z } from 'zod';
import type { Dataset, Row } from '../../data/types.js';
import type { TabularModel } from '../../model/types.js';
import { makeProvenance } from '../../rules/provenance.js';
import type { ConditionT, RuleSet } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { parseOptions } from '../../util/options.js';
import { createRng, DEFAULT_SEED, type Rng } from '../../util/rng.js';
import { binCondition, binOf, fitDiscretizer } from '../lime/discretize.js';
import { klLower, klUpper } from './kl.js';
import { anchorBeam, type AnchorSampler } from './beam.js';
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

/** The tabular sampling machinery behind {@link explainAnchors}, exposed for measuring anchors independently. */
export interface AnchorTabular {
  /** Per predicate: its feature's column and the condition it stands for. */
  predicates: { column: number; condition: ConditionT }[];
  /** Rows drawn as Anchors draws them: training rows with the anchored predicates' features moved into the instance's bins. */
  draw(anchor: readonly number[], n: number, rng: Rng): Row[];
  /** Whether value `x` satisfies predicate `p`. */
  satisfies(p: number, x: Row[number]): boolean;
}

/**
 * Builds the predicates and the conditional sampler for one instance.
 *
 * @example
 * const at = anchorTabular(iris, iris.rows[0]); at.predicates.map((p) => p.condition);
 */
export function anchorTabular(train: Dataset, row: Row, discretizer: 'quartile' | 'decile' = 'quartile'): AnchorTabular {
  const features = train.schema.features;
  const bins = fitDiscretizer(train, discretizer);
  const N = train.rows.length;
  if (N === 0) throw new InputError('anchors need training rows to sample from', { file: train.source });
  const predicates: { column: number; condition: ConditionT }[] = [];
  const options: number[][] = [];
  features.forEach((f, j) => {
    const v = row[j];
    if (v === null || v === undefined) return;
    if (f.type === 'numeric') {
      if (typeof v !== 'number' || !Number.isFinite(v)) return;
      const b = bins[j]!;
      const code = binOf(b.cuts, v);
      const opts: number[] = [];
      for (let i = 0; i < N; i++) {
        const x = train.rows[i][j];
        if (typeof x === 'number' && binOf(b.cuts, x) === code) opts.push(i);
      }
      predicates.push({ column: j, condition: binCondition(f.name, b.cuts, code) });
      options.push(opts);
    } else {
      const s = String(v);
      const opts: number[] = [];
      for (let i = 0; i < N; i++) if (train.rows[i][j] !== null && String(train.rows[i][j]) === s) opts.push(i);
      predicates.push({ column: j, condition: { type: 'eq', feature: f.name, value: s } });
      options.push(opts);
    }
  });
  const satisfies = (p: number, x: Row[number]) => {
    const c = predicates[p].condition;
    if (x === null || x === undefined) return false;
    if (c.type === 'eq') return String(x) === c.value;
    const v = x as number;
    if (c.type === 'le') return v <= c.threshold;
    if (c.type === 'gt') return v > c.threshold;
    if (c.type === 'interval') return (c.low === null || v > c.low) && (c.high === null || v <= c.high);
    return false;
  };
  return {
    predicates,
    draw(anchor, n, rng) {
      const out: Row[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const r = train.rows[rng.int(N)].slice();
        for (const p of anchor) {
          const j = predicates[p].column;
          if (satisfies(p, r[j])) continue;
          const opts = options[p];
          r[j] = opts.length ? train.rows[opts[rng.int(opts.length)]][j] : row[j];
        }
        out[i] = r;
      }
      return out;
    },
    satisfies,
  };
}

/**
 * Finds an anchor for the model's prediction on `row`: a conjunction of predicates under which the
 * model keeps its prediction with precision at least `threshold` (with confidence 1 − δ), and of
 * maximal coverage among those found by the beam search. Defaults: threshold 0.95, δ 0.1, τ 0.15,
 * beam size 1, 10 samples per pull, coverage on 10000 training-like rows.
 *
 * The result is a rule set (kind `list`, one rule, default null) whose rule carries
 * `stats.precision` (the bandit's estimate) and `stats.coverage` / `support` (on the coverage
 * sample); `fidelity` holds the same precision with its KL confidence bounds. When no candidate
 * reaches the threshold, the most precise one is returned and `provenance.options.confident` is false.
 *
 * @throws InputError for regression models, a row of the wrong width or bad options.
 * @example
 * const rs = await explainAnchors(model, iris, iris.rows[100], { seed: 1 });
 * rs.surrogate.rules[0]; // { conditions: [{ type: 'gt', feature: 'petal_width', threshold: 1.8 }], output: { class: 'virginica' }, stats: {...} }
 */
export async function explainAnchors(model: TabularModel, train: Dataset, row: Row, opts: AnchorsOptions = {}): Promise<RuleSet> {
  if (model.task !== 'classification') throw new InputError('anchors explain classifiers only; use --method lime for a regression model', { flag: '--method' });
  const d = train.schema.features.length;
  if (row.length !== d) throw new InputError(`the row has ${row.length} values, expected ${d}`, { file: train.source });
  const { seed, coverageSamples: coverageRows, discretizer, rowId, label: wanted, ...search } = parseOptions(ExplainAnchorsOptionsSchema, opts, { method: 'anchors' });
  const rng = createRng(seed);
  const coverageRng = rng.fork();
  const at = anchorTabular(train, row, discretizer);
  const P = at.predicates.length;
  const label = wanted ?? (await model.predictLabels([row]))[0];
  if (label >= model.outputSize) throw new InputError(`unknown class index ${label}`, { flag: '--class' });
  const holdsOf = (rows: Row[]) => {
    const h = new Uint8Array(rows.length * P);
    rows.forEach((r, i) => at.predicates.forEach((p, k) => (h[i * P + k] = at.satisfies(k, r[p.column]) ? 1 : 0)));
    return h;
  };
  const coverage = { holds: holdsOf(at.draw([], coverageRows, coverageRng)), rows: coverageRows };
  const sampler: AnchorSampler = {
    predicates: P,
    coverage,
    async sample(requests) {
      const drawn = requests.map((q) => at.draw(q.anchor, q.n, rng));
      const labels = await model.predictLabels(drawn.flat());
      let o = 0;
      return drawn.map((rows) => {
        const positive = new Uint8Array(rows.length);
        for (let i = 0; i < rows.length; i++) positive[i] = labels[o + i] === label ? 1 : 0;
        o += rows.length;
        return positive;
      });
    },
  };
  const r = await anchorBeam(sampler, search);
  const classes = model.classes ?? (model.schema.target.kind === 'class' ? model.schema.target.classes : []);
  const { maxConfirmSamples: _cap, maxAnchorSize, ...recorded } = search;
  const options = { ...recorded, maxAnchorSize: maxAnchorSize ?? null, coverageSamples: coverageRows, discretizer, row: rowId ?? null, confident: r.confident };
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
      data: `${r.samples} samples drawn under the anchor (precision with two-sided 95% KL bounds)`,
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
  let samples = 0;
  let options: Record<string, unknown> = {};
  for (let i = 0; i < ctx.rows.length; i++) {
    ctx.progress?.(i, ctx.rows.length, 'anchors');
    const label = ctx.targets[i];
    const rs = await explainAnchors(model, ctx.data, ctx.rows[i], { ...o, seed: ctx.seed, rowId: ctx.rowIds[i], label });
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
        baseline: 'rows drawn from the data under the rule',
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
