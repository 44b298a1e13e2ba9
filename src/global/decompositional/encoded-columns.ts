/**
 * The network's encoded inputs as the decompositional extractors read them: which encoder the
 * model uses, and how a threshold on an encoded input reads as a condition on a raw column (what
 * each encoded input means comes from `encodedColumns` in src/data/encodedColumns.ts).
 */
import { rowAligner } from '../../data/align.js';
import { rowsOf } from '../../data/table.js';
import type { Dataset } from '../../data/types.js';
import { alignRows, decodeValue, encodeRows, fitEncoder, identityEncoder, type EncodedColumn, type EncoderJSON } from '../../data/index.js';
import type { DenseNetwork, TabularModel } from '../../model/types.js';
import type { AtomicConditionT } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { forwardDense } from './dense-network.js';

/**
 * The condition on the original column that `column > threshold` (when `greater`) or
 * `column <= threshold` means: a raw-unit `gt`/`le` for numeric columns, `feature = category` /
 * `feature != category` for a one-hot column (split between 0 and 1). `true`/`false` when the test
 * holds for every / no valid encoded value (a one-hot split outside [0, 1)).
 *
 * @example
 * columnCondition({ column: 0, feature: 'island', kind: 'onehot', category: 'Dream' }, true, 0.5); // { type: 'eq', feature: 'island', value: 'Dream' }
 */
export function columnCondition(col: EncodedColumn, greater: boolean, threshold: number): AtomicConditionT | boolean {
  if (col.kind === 'onehot') {
    if (threshold < 0) return greater;
    if (threshold >= 1) return !greater;
    return { type: greater ? 'eq' : 'neq', feature: col.feature, value: col.category };
  }
  // 7 significant digits: drops the float32 noise of encoding and un-standardising (2.450000006 -> 2.45)
  const t = Number(decodeValue(col, threshold).toPrecision(7));
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
  const features = model.schema.features;
  // The first rows only: a dataset held column by column is not made into row arrays for them.
  const first = data.table ? rowsOf(data.table, 0, 64) : data.rows.slice(0, 64);
  const probe = rowAligner(data.schema, features, data.source)(first, 0);
  const expected = await model.predictRows(probe);
  // Encoders fitted to the data (when the model's own is absent or does not fit) read every row.
  let labelled: Dataset | undefined;
  const all = (): Dataset => {
    if (labelled) return labelled;
    const rows = alignRows(data, features);
    return (labelled = { source: data.source, missing: data.missing, schema: { features, target: model.schema.target }, rows, target: data.target ?? rows.map(() => null) });
  };
  const candidates: (() => EncoderJSON)[] = [];
  const own = model.encoder;
  if (own) candidates.push(() => own);
  candidates.push(
    () => fitEncoder(all(), { standardize: true }),
    () => fitEncoder(all(), { standardize: false }),
    () => identityEncoder(all()),
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
