/**
 * A black box together with its encoder: the {@link TabularModel} every sampler, surrogate and
 * metric works with.
 */
import { encodeRows, type EncoderJSON } from '../data/encoder.js';
import type { Row, Target } from '../data/types.js';
import { InputError } from '../util/errors.js';
import type { BlackBox, ModelOrigin, TabularModel } from './types.js';

/**
 * Combines a black box and the encoder that turns raw rows into its inputs. Classes come from
 * `encoder.schema.target`. `origin` (set by `loadModel`) says how to load the same model elsewhere.
 *
 * @throws InputError when the encoder's width differs from the model's input width (stating both),
 *   or the class count differs from the model's output width.
 * @example
 * const model = createTabularModel(bb, encoder);
 * const labels = await model.predictLabels(ds.rows); // class indices into model.classes
 */
export function createTabularModel(blackBox: BlackBox, encoder: EncoderJSON, origin?: ModelOrigin): TabularModel {
  if (encoder.inputSize !== blackBox.inputSize) {
    throw new InputError(
      `width mismatch: the data/encoder gives ${encoder.inputSize} input values per row, the model takes ${blackBox.inputSize}`,
      { file: blackBox.identity.source },
    );
  }
  const target = encoder.schema.target as Target | undefined;
  if (!target) throw new InputError('the encoder has no target', { file: blackBox.identity.source });
  const task = blackBox.task;
  let classes: string[] | undefined;
  if (task === 'classification') {
    classes = target.kind === 'class' ? target.classes : undefined;
    if (!classes || classes.length !== blackBox.outputSize) {
      throw new InputError(
        `the model has ${blackBox.outputSize} outputs but the target "${target.name}" has ${classes ? `${classes.length} classes` : 'no classes'}`,
        { file: blackBox.identity.source },
      );
    }
  }
  const outputSize = blackBox.outputSize;
  const predictRows = async (rows: Row[]): Promise<Float32Array> => {
    if (!rows.length) return new Float32Array(0);
    return blackBox.predict(encodeRows(encoder, rows), rows.length);
  };
  return {
    schema: { features: encoder.schema.features, target },
    task,
    classes,
    outputSize,
    identity: blackBox.identity,
    encoder,
    origin,
    get backend() {
      return blackBox.backend;
    },
    blackBox,
    predictRows,
    async predictLabels(rows: Row[]): Promise<Float64Array> {
      const out = await predictRows(rows);
      const labels = new Float64Array(rows.length);
      if (task === 'regression') {
        for (let i = 0; i < rows.length; i++) labels[i] = out[i * outputSize];
        return labels;
      }
      for (let i = 0; i < rows.length; i++) {
        let best = 0;
        for (let j = 1; j < outputSize; j++) if (out[i * outputSize + j] > out[i * outputSize + best]) best = j;
        labels[i] = best;
      }
      return labels;
    },
    async dispose() {
      await blackBox.dispose?.();
    },
  };
}
