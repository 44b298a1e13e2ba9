/**
 * A global view from local explanations: per method, the mean |attribution| of each original
 * column over the explained rows, with a seeded percentile-bootstrap 95 % interval (resampling
 * rows), and the mean signed attribution beside it. This is SHAP's "global importance" bar chart
 * (mean |φ_j|), computed for any attribution method of the registry.
 *
 * The result is its own versioned format, `surrogate-distill/importance` version 1, defined by the
 * zod schemas below; `rules/importance.schema.json` is generated from them
 * ({@link importanceJsonSchema}).
 *
 * @example
 * const file = await explainRows('shap', { model, data, rows, rowIds });
 * const summary = summarizeExplanations(file, { resamples: 1000 });
 * summary.summaries[0].features[0]; // { feature: 'sepal_length', meanAbs: 0.021, ci95: [0.015, 0.028], mean: -0.004 }
 */
import { z } from 'zod';
import { bootstrapCi95 } from '../metrics/bootstrap.js';
import { FeatureSchema, Provenance, TargetSchema } from '../rules/schema.js';
import { InputError } from '../util/errors.js';
import { DEFAULT_SEED, substream } from '../util/rng.js';
import { parseJsonText } from '../util/json.js';
import { parseWith, type ExplanationFile } from './schema.js';

export const IMPORTANCE_FORMAT = 'surrogate-distill/importance' as const;
export const IMPORTANCE_VERSION = 1 as const;

export const ColumnImportance = z
  .object({
    feature: z.string().min(1).describe('original column'),
    meanAbs: z.number().min(0).describe('mean |attribution| over the explained rows'),
    ci95: z.tuple([z.number(), z.number()]).nullable().describe('95 % percentile-bootstrap interval of meanAbs (rows resampled); null without resamples'),
    mean: z.number().describe('mean signed attribution: the direction the column pushes on average'),
  })
  .strict();

export const MethodImportance = z
  .object({
    method: z.string().min(1),
    rows: z.number().int().min(1).describe('explanations summarised'),
    class: z.string().nullable().describe('the class every explanation explains; null when they explain different classes (each row its own) or for regression'),
    classes: z.record(z.string(), z.number().int().min(1)).nullable().describe('explanations per explained class (classification); null for regression'),
    features: z.array(ColumnImportance).describe('one per original column, in schema order'),
  })
  .strict();

export const ImportanceFile = z
  .object({
    format: z.literal(IMPORTANCE_FORMAT),
    version: z.literal(IMPORTANCE_VERSION),
    task: z.enum(['classification', 'regression']),
    schema: z.object({ features: z.array(FeatureSchema), target: TargetSchema }).strict(),
    provenance: Provenance.describe('the provenance of the explanations summarised (method, options, seed, data, model)'),
    bootstrap: z.object({ resamples: z.number().int().min(0), seed: z.number().int() }).strict().describe('how the intervals were drawn'),
    summaries: z.array(MethodImportance).describe('one per attribution method, in the order the methods ran'),
  })
  .strict()
  .describe('surrogate-distill column importance from local attributions');

export type ColumnImportanceT = z.infer<typeof ColumnImportance>;
export type MethodImportanceT = z.infer<typeof MethodImportance>;
export type ImportanceFile = z.infer<typeof ImportanceFile>;

/** Where the generated JSON Schema is committed, relative to the package root. */
export const IMPORTANCE_SCHEMA_PATH = 'rules/importance.schema.json';

export interface SummarizeOptions {
  /** Bootstrap resamples (default 1000; 0: no intervals). */
  resamples?: number;
  /** Seed of the resampling (default: the explanations' seed). */
  seed?: number;
}

/**
 * Summarises the attribution explanations of `file`, one summary per method. Every column's
 * interval is drawn from the same resamples of rows, so intervals of one method are comparable.
 *
 * @throws InputError for a method whose explanations have no attributions (rules), or a file with
 *   no explanations.
 * @example
 * summarizeExplanations(file).summaries.map((s) => s.method); // ['shap']
 */
export function summarizeExplanations(file: ExplanationFile, opts: SummarizeOptions = {}): ImportanceFile {
  const resamples = opts.resamples ?? 1000;
  if (!Number.isInteger(resamples) || resamples < 0) throw new InputError(`expected an integer >= 0, got ${resamples}`, { flag: '--bootstrap' });
  const seed = opts.seed ?? file.provenance.seed ?? DEFAULT_SEED;
  const methods = [...new Set(file.explanations.map((e) => e.method))];
  if (!methods.length) throw new InputError('there are no explanations to summarise');
  const names = file.schema.features.map((f) => f.name);
  const summaries = methods.map((method): MethodImportanceT => {
    const ex = file.explanations.filter((e) => e.method === method);
    if (ex.some((e) => e.attributions.length === 0)) throw new InputError(`${method} explains with rules, not attributions: there is no per-column importance to summarise`, { flag: '--method' });
    const n = ex.length;
    const byClass = new Map<string, number>();
    for (const e of ex) if (e.class !== null) byClass.set(e.class, (byClass.get(e.class) ?? 0) + 1);
    const features = names.map((feature, j): ColumnImportanceT => {
      const abs = new Float64Array(n);
      let sum = 0;
      let signed = 0;
      ex.forEach((e, i) => {
        const a = e.attributions[j]?.feature === feature ? e.attributions[j].attribution : (e.attributions.find((x) => x.feature === feature)?.attribution ?? 0);
        abs[i] = Math.abs(a);
        sum += abs[i];
        signed += a;
      });
      const ci95 = bootstrapCi95(n, (idx) => {
        let s = 0;
        for (let i = 0; i < idx.length; i++) s += abs[idx[i]];
        return s / idx.length;
      }, resamples, substream(seed, 'importance'));
      return { feature, meanAbs: sum / n, ci95, mean: signed / n };
    });
    return {
      method,
      rows: n,
      class: byClass.size === 1 ? [...byClass.keys()][0] : null,
      classes: file.task === 'classification' ? Object.fromEntries(byClass) : null,
      features,
    };
  });
  return {
    format: IMPORTANCE_FORMAT,
    version: IMPORTANCE_VERSION,
    task: file.task,
    schema: file.schema,
    provenance: file.provenance,
    bootstrap: { resamples, seed },
    summaries,
  };
}

/**
 * JSON Schema (draft 2020-12) of an importance file, as deterministic text, generated from
 * {@link ImportanceFile}.
 *
 * @example
 * const schema = JSON.parse(importanceJsonSchema());
 */
export function importanceJsonSchema(): string {
  const schema = z.toJSONSchema(ImportanceFile, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return JSON.stringify({ $schema: schema.$schema, title: 'surrogate-distill importance', ...schema }, null, 2) + '\n';
}

/**
 * Serialises an importance file deterministically (2-space indent, final newline).
 *
 * @example
 * await writeFileAtomic('importance.json', exportImportance(summary));
 */
export function exportImportance(file: ImportanceFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}

/**
 * Parses and validates an importance file.
 *
 * @throws InputError naming `file` and the JSON path of the first problem.
 * @example
 * const summary = importImportance(await readTextFile('importance.json'), 'importance.json');
 */
export function importImportance(text: string, file: string): ImportanceFile {
  return parseWith(ImportanceFile, parseJsonText(text, file), file);
}
