/**
 * The encoder between raw rows (original columns) and a network's input vectors: one-hot for
 * categorical features, optional standardisation for numeric ones. It is plain JSON, saved as
 * `encoder.json` beside a trained model, so that any tool can feed the model the same way.
 */
import { z } from 'zod';
import { InputError } from '../util/errors.js';
import { formatJsonPath } from '../util/json.js';
import type { Dataset, Feature, Row, Target } from './types.js';

export const ENCODER_FORMAT = 'surrogate-distill/encoder' as const;

export type EncodedFeature =
  | { name: string; type: 'numeric'; standardize: boolean; mean: number; std: number }
  | { name: string; type: 'categorical'; categories: string[] };

export interface EncoderJSON {
  format: typeof ENCODER_FORMAT;
  version: 1;
  schema: { features: Feature[]; target: Target };
  features: EncodedFeature[];
  inputSize: number;
}

/** Mean and (sample) standard deviation of the present values; std is 1 when undefined or 0. */
function meanStd(ds: Dataset, j: number): { mean: number; std: number } {
  let n = 0;
  let sum = 0;
  for (const r of ds.rows) {
    const v = r[j];
    if (typeof v === 'number') {
      n++;
      sum += v;
    }
  }
  const mean = n > 0 ? sum / n : 0;
  let ss = 0;
  for (const r of ds.rows) {
    const v = r[j];
    if (typeof v === 'number') ss += (v - mean) ** 2;
  }
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  return { mean, std: std > 0 && Number.isFinite(std) ? std : 1 };
}

function inputSizeOf(features: readonly EncodedFeature[]): number {
  return features.reduce((s, f) => s + (f.type === 'numeric' ? 1 : f.categories.length), 0);
}

function requireTarget(ds: Dataset, what: string): Target {
  if (!ds.schema.target) throw new InputError(`${what} needs data with a target column`, { file: ds.source });
  return ds.schema.target;
}

/**
 * Fits an encoder on a dataset: numeric features keep their training mean (used for missing values)
 * and standard deviation (sample std; 1 for a constant column), and are standardised when
 * `standardize` is true (the default); categorical features are one-hot over the schema's categories.
 *
 * @throws InputError when `ds` has no target (the encoder records the classes the outputs mean).
 * @example
 * const enc = fitEncoder(await loadDataset('builtin:penguins'));
 * enc.inputSize; // 3 (island one-hot) + 4 numeric + 2 (sex one-hot) = 9
 */
export function fitEncoder(ds: Dataset, opts: { standardize?: boolean } = {}): EncoderJSON {
  const target = requireTarget(ds, 'fitting an encoder');
  const standardize = opts.standardize ?? true;
  const features: EncodedFeature[] = ds.schema.features.map((f, j) =>
    f.type === 'numeric'
      ? { name: f.name, type: 'numeric', standardize, ...meanStd(ds, j) }
      : { name: f.name, type: 'categorical', categories: [...f.categories] },
  );
  return {
    format: ENCODER_FORMAT,
    version: 1,
    schema: { features: structuredClone(ds.schema.features), target: structuredClone(target) },
    features,
    inputSize: inputSizeOf(features),
  };
}

/**
 * The encoder of a model saved without one: every feature of `ds` (file order) fed as is, so every
 * feature must be numeric. Missing values become the column mean of `ds`.
 *
 * @throws InputError naming the first categorical column, or when `ds` has no target.
 * @example
 * identityEncoder(await loadDataset('builtin:xor')).inputSize; // 10
 */
export function identityEncoder(ds: Dataset): EncoderJSON {
  const target = requireTarget(ds, 'a model without encoder.json');
  const cat = ds.schema.features.find((f) => f.type === 'categorical');
  if (cat) {
    throw new InputError(
      'is categorical, but the model has no encoder.json to one-hot encode it (train with distill, or give --encoder)',
      { file: ds.source, column: cat.name },
    );
  }
  const features: EncodedFeature[] = ds.schema.features.map((f, j) => ({
    name: f.name,
    type: 'numeric',
    standardize: false,
    mean: meanStd(ds, j).mean,
    std: 1,
  }));
  return {
    format: ENCODER_FORMAT,
    version: 1,
    schema: { features: structuredClone(ds.schema.features), target: structuredClone(target) },
    features,
    inputSize: features.length,
  };
}

/**
 * Encodes raw rows (in the encoder's schema order) into one flat row-major array of
 * `rows.length * inputSize` values. Numeric: `(x - mean) / std` when standardised, else `x`; a
 * missing value counts as the training mean. Categorical: one-hot; a missing or unknown category
 * gives all zeros.
 *
 * @example
 * encodeRows(enc, [[5.1, 3.5, 1.4, 0.2]]); // Float32Array of 4 standardised values
 */
export function encodeRows(enc: EncoderJSON, rows: readonly Row[]): Float32Array {
  const out = new Float32Array(rows.length * enc.inputSize);
  const maps = enc.features.map((f) => (f.type === 'categorical' ? new Map(f.categories.map((c, k) => [c, k])) : null));
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    let o = i * enc.inputSize;
    for (let j = 0; j < enc.features.length; j++) {
      const f = enc.features[j];
      const v = r[j];
      if (f.type === 'numeric') {
        const x = typeof v === 'number' ? v : v === null || v === undefined ? f.mean : Number(v);
        const y = Number.isFinite(x) ? x : f.mean;
        out[o++] = f.standardize ? (y - f.mean) / f.std : y;
      } else {
        if (v !== null && v !== undefined) {
          const k = maps[j]!.get(String(v));
          if (k !== undefined) out[o + k] = 1;
        }
        o += f.categories.length;
      }
    }
  }
  return out;
}

/**
 * The encoded columns `[start, end)` of each original feature.
 *
 * @example
 * encodedSpans(enc); // [{ feature: 'island', start: 0, end: 3 }, { feature: 'beak_length_mm', start: 3, end: 4 }, ...]
 */
export function encodedSpans(enc: EncoderJSON): { feature: string; start: number; end: number }[] {
  let start = 0;
  return enc.features.map((f) => {
    const width = f.type === 'numeric' ? 1 : f.categories.length;
    const span = { feature: f.name, start, end: start + width };
    start += width;
    return span;
  });
}

/**
 * A readable name for each encoded column: the feature name for numeric features,
 * `feature=category` for one-hot columns.
 *
 * @example
 * encodedNames(enc); // ['island=Biscoe', 'island=Dream', 'island=Torgersen', 'beak_length_mm', ...]
 */
export function encodedNames(enc: EncoderJSON): string[] {
  return enc.features.flatMap((f) => (f.type === 'numeric' ? [f.name] : f.categories.map((c) => `${f.name}=${c}`)));
}

const FeatureZ = z.discriminatedUnion('type', [
  z.object({ name: z.string().min(1), type: z.literal('numeric') }).strict(),
  z.object({ name: z.string().min(1), type: z.literal('categorical'), categories: z.array(z.string()) }).strict(),
]);
const TargetZ = z.discriminatedUnion('kind', [
  z.object({ name: z.string(), kind: z.literal('class'), classes: z.array(z.string()).min(1) }).strict(),
  z.object({ name: z.string(), kind: z.literal('regression') }).strict(),
]);
const EncodedFeatureZ = z.discriminatedUnion('type', [
  z
    .object({
      name: z.string().min(1),
      type: z.literal('numeric'),
      standardize: z.boolean(),
      mean: z.number(),
      std: z.number().positive(),
    })
    .strict(),
  z.object({ name: z.string().min(1), type: z.literal('categorical'), categories: z.array(z.string()) }).strict(),
]);
const EncoderZ = z
  .object({
    format: z.literal(ENCODER_FORMAT),
    version: z.literal(1),
    schema: z.object({ features: z.array(FeatureZ), target: TargetZ }).strict(),
    features: z.array(EncodedFeatureZ),
    inputSize: z.number().int().positive(),
  })
  .strict();

/**
 * Validates parsed JSON as an encoder: the shape (zod), then consistency (one encoded feature per
 * schema feature, same names, types and categories, `inputSize` equal to the encoded width).
 *
 * @param json the parsed file.
 * @param file its name, for messages.
 * @throws InputError naming the file and the JSON path of the first problem.
 * @example
 * const enc = parseEncoder(parseJsonText(await readTextFile('model/encoder.json'), 'model/encoder.json'), 'model/encoder.json');
 */
export function parseEncoder(json: unknown, file: string): EncoderJSON {
  const r = EncoderZ.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(issue.message, { file, path: formatJsonPath(issue.path) });
  }
  const enc = r.data as EncoderJSON;
  const sf = enc.schema.features;
  if (enc.features.length !== sf.length) {
    throw new InputError(`expected ${sf.length} encoded features (one per schema feature), got ${enc.features.length}`, {
      file,
      path: '$.features',
    });
  }
  enc.features.forEach((f, j) => {
    const s = sf[j];
    const path = `$.features[${j}]`;
    if (f.name !== s.name) throw new InputError(`name "${f.name}" differs from the schema's "${s.name}"`, { file, path: `${path}.name` });
    if (f.type !== s.type) throw new InputError(`type ${f.type} differs from the schema's ${s.type}`, { file, path: `${path}.type` });
    if (f.type === 'categorical' && s.type === 'categorical' && JSON.stringify(f.categories) !== JSON.stringify(s.categories)) {
      throw new InputError("categories differ from the schema's", { file, path: `${path}.categories` });
    }
  });
  const width = inputSizeOf(enc.features);
  if (enc.inputSize !== width) {
    throw new InputError(`inputSize ${enc.inputSize} differs from the encoded width ${width}`, { file, path: '$.inputSize' });
  }
  return enc;
}
