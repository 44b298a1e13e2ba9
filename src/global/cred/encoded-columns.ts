/**
 * From the network's encoded input columns back to the original columns: which encoder the model
 * uses, what each encoded column means (a standardised numeric feature or one category of a
 * one-hot group), and how a threshold on an encoded column reads as a condition on a raw column.
 */
import type { Dataset, Feature, Row } from '../../data/types.js';
import { alignRows, encodeRows, fitEncoder, identityEncoder, type EncoderJSON } from '../../data/index.js';
import type { DenseNetwork, TabularModel } from '../../model/types.js';
import type { AtomicConditionT } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { forwardDense } from './dense-network.js';

/** What one encoded input column means in terms of the original columns. */
export type EncodedColumn =
  | { feature: string; kind: 'numeric'; mean: number; std: number; standardize: boolean }
  | { feature: string; kind: 'onehot'; category: string };

/**
 * One entry per encoded input column, in the encoder's column order.
 *
 * @example
 * encodedColumns(enc); // [{ feature: 'age', kind: 'numeric', ... }, { feature: 'island', kind: 'onehot', category: 'Biscoe' }, ...]
 */
export function encodedColumns(enc: EncoderJSON): EncodedColumn[] {
  const cols: EncodedColumn[] = [];
  for (const f of enc.features) {
    if (f.type === 'numeric') cols.push({ feature: f.name, kind: 'numeric', mean: f.mean, std: f.std, standardize: f.standardize });
    else for (const c of f.categories) cols.push({ feature: f.name, kind: 'onehot', category: c });
  }
  if (cols.length !== enc.inputSize) throw new InputError(`encoder describes ${cols.length} columns but declares inputSize ${enc.inputSize}`);
  return cols;
}

/** A raw value from an encoded one: `enc * std + mean` for standardised columns. */
export function rawValue(col: Extract<EncodedColumn, { kind: 'numeric' }>, encoded: number): number {
  return col.standardize ? encoded * (col.std || 1) + col.mean : encoded;
}

/**
 * The condition on the original column that `column > threshold` (when `greater`) or
 * `column <= threshold` means: a raw-unit `gt`/`le` for numeric columns, `feature = category` /
 * `feature != category` for a one-hot column (split between 0 and 1). `true`/`false` when the test
 * holds for every / no valid encoded value (a one-hot split outside [0, 1)).
 *
 * @example
 * columnCondition({ feature: 'island', kind: 'onehot', category: 'Dream' }, true, 0.5); // { type: 'eq', feature: 'island', value: 'Dream' }
 */
export function columnCondition(col: EncodedColumn, greater: boolean, threshold: number): AtomicConditionT | boolean {
  if (col.kind === 'onehot') {
    if (threshold < 0) return greater;
    if (threshold >= 1) return !greater;
    return { type: greater ? 'eq' : 'neq', feature: col.feature, value: col.category };
  }
  // 7 significant digits: drops the float32 noise of encoding and un-standardising (2.450000006 -> 2.45)
  const t = Number(rawValue(col, threshold).toPrecision(7));
  return { type: greater ? 'gt' : 'le', feature: col.feature, threshold: t };
}

/** Largest absolute difference between two arrays. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/**
 * The encoder that turns the model's raw rows into the network's inputs. A TabularModel carrying
 * its encoder (an `encoder` property) is trusted after a check; otherwise the encoders the toolkit
 * can make from the data (standardised, plain, identity) are tried. The one whose encoded rows,
 * run through `net`, reproduce the model's outputs on a few rows is returned.
 *
 * @throws InputError when no candidate reproduces the model's outputs.
 * @example
 * const enc = await resolveEncoder(model, data, net, 'cred');
 */
export async function resolveEncoder(model: TabularModel, data: Dataset, net: DenseNetwork, method: string): Promise<EncoderJSON> {
  const rows: Row[] = alignRows(data, model.schema.features);
  const probe = rows.slice(0, 64);
  const expected = await model.predictRows(probe);
  const labelled: Dataset = {
    ...data,
    schema: { features: model.schema.features, target: model.schema.target },
    rows,
    target: data.target ?? rows.map(() => null),
  };
  const candidates: (() => EncoderJSON)[] = [];
  const own = model.encoder;
  if (own) candidates.push(() => own);
  candidates.push(
    () => fitEncoder(labelled, { standardize: true }),
    () => fitEncoder(labelled, { standardize: false }),
    () => identityEncoder(labelled),
  );
  const inputSize = net.layers[0].inputSize;
  for (const make of candidates) {
    let enc: EncoderJSON;
    try {
      enc = make();
    } catch {
      continue;
    }
    if (enc.inputSize !== inputSize) continue;
    const acts = forwardDense(net, encodeRows(enc, probe), probe.length);
    if (maxDiff(acts[acts.length - 1], expected) < 2e-3) return enc;
  }
  throw new InputError(
    `${method}: cannot tell how the model encodes its inputs (no encoder fitted to these data reproduces its outputs): give the data the model was trained on`,
  );
}

/** The features of the model's schema, by name. */
export function featuresByName(features: readonly Feature[]): Map<string, Feature> {
  return new Map(features.map((f) => [f.name, f]));
}
