/**
 * Model outputs on rows that mix an explained row with reference rows column by column — the
 * primitive of removal-based explanations: for a row x, a set S of original columns and reference
 * rows r_1..r_R,
 *
 *     v(S) = (1/R) Σ_r f_c(x_S, r_{~S})
 *
 * (x's values on the columns of S, the reference row's elsewhere). Over a background sample this is
 * the interventional value function of Shapley values; with one reference (the baseline) it is
 * occlusion.
 *
 * When the model carries its encoder (every model loaded from a file or endpoint does), the mixed
 * rows are assembled directly in the encoded space: x and the references are encoded once, and each
 * mixed row is the references' encoded block with x's encoded span of each chosen column copied
 * over it. Encoding is column by column (standardisation, one-hot), so these are exactly the inputs
 * `predictRows` would feed the network, without a JS row per evaluation. A model without an encoder
 * (a JS function over raw rows) is fed raw mixed rows through `predictRows`.
 */
import { encodedSpans, encodeRows } from '../data/encoder.js';
import type { Row } from '../data/types.js';
import type { TabularModel } from './types.js';

/** Reference rows prepared once for many evaluations (encoded when the model has an encoder). */
export interface MaskReferences {
  rows: readonly Row[];
  /** `rows.length × inputSize` encoded values, or null when the model is fed raw rows. */
  encoded: Float32Array | null;
}

/** One explained row and the column sets to evaluate it on. */
export interface MaskedItem {
  x: Row;
  /** `count × d` flags, row-major: 1 = the column takes x's value, 0 = the reference's. */
  masks: Uint8Array;
  count: number;
  /** Output column averaged (class index; 0 for regression). */
  output: number;
}

export interface MaskedMeansOptions {
  /** Model rows per call at most (default 65536; a mask's R rows are never split). */
  batchRows?: number;
  /** Called after each model call with masks done and masks in all. */
  progress?: (done: number, total: number) => void;
}

/** Whether the encoded fast path applies: the model feeds its black box through its encoder. */
function encoderOf(model: TabularModel) {
  const enc = model.encoder;
  return enc && enc.inputSize === model.blackBox.inputSize && enc.features.length === model.schema.features.length ? enc : null;
}

/**
 * Prepares reference rows (a background sample, or the one baseline row) for {@link maskedMeans}.
 *
 * @example
 * const refs = prepareReferences(model, background);
 */
export function prepareReferences(model: TabularModel, rows: readonly Row[]): MaskReferences {
  const enc = encoderOf(model);
  return { rows, encoded: enc ? encodeRows(enc, rows) : null };
}

/**
 * For each item and each of its masks, the mean over the reference rows of the model's output
 * `item.output` on the mixed rows. Items are evaluated in order, many per model call (a call
 * holds masks of several items), so that a batch of explained rows costs few large calls; each
 * value depends only on its item, never on which items share a call.
 *
 * @returns per item, `count` means (float64 sums of the model's float32 outputs).
 * @throws whatever the model throws.
 * @example
 * // f(x with column 0 from each background row), f(x with column 1 from each background row)
 * const [v] = await maskedMeans(model, [{ x, masks: Uint8Array.of(0, 1, 1, 0), count: 2, output: 1 }], prepareReferences(model, background));
 */
export async function maskedMeans(model: TabularModel, items: readonly MaskedItem[], refs: MaskReferences, opts: MaskedMeansOptions = {}): Promise<Float64Array[]> {
  const R = refs.rows.length;
  const d = model.schema.features.length;
  const k = model.outputSize;
  const results = items.map((it) => new Float64Array(it.count));
  if (R === 0) return results;
  const perCall = Math.max(1, Math.floor((opts.batchRows ?? 65536) / R));
  const total = items.reduce((s, it) => s + it.count, 0);
  const enc = refs.encoded ? encoderOf(model) : null;
  const w = enc?.inputSize ?? 0;
  const spans = enc ? encodedSpans(enc) : [];
  const block = R * w;
  const buffer = enc ? takeBuffer(Math.min(perCall, Math.max(1, total)) * block) : null;
  let rows: Row[] = [];
  /** (item, mask) of each pending unit. */
  const pending: [number, number][] = [];
  let done = 0;

  const flush = async () => {
    if (!pending.length) return;
    const n = pending.length * R;
    const out = buffer ? await model.blackBox.predict(buffer.subarray(0, n * w), n) : await model.predictRows(rows);
    for (let u = 0; u < pending.length; u++) {
      const [i, m] = pending[u];
      const c = items[i].output;
      let s = 0;
      for (let r = 0, o = u * R * k + c; r < R; r++, o += k) s += out[o];
      results[i][m] = s / R;
    }
    done += pending.length;
    pending.length = 0;
    rows = [];
    opts.progress?.(done, total);
  };

  try {
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      const xe = enc ? encodeRows(enc, [it.x]) : null;
      for (let m = 0; m < it.count; m++) {
        const mask = it.masks.subarray(m * d, (m + 1) * d);
        if (buffer && xe) {
          const base = pending.length * block;
          buffer.set(refs.encoded!, base);
          for (let j = 0; j < d; j++) {
            if (!mask[j]) continue;
            const { start, end } = spans[j];
            if (end - start === 1) {
              const v = xe[start];
              for (let o = base + start; o < base + block; o += w) buffer[o] = v;
            } else {
              for (let o = base; o < base + block; o += w) for (let q = start; q < end; q++) buffer[o + q] = xe[q];
            }
          }
        } else {
          for (const ref of refs.rows) {
            const row = ref.slice();
            for (let j = 0; j < d; j++) if (mask[j]) row[j] = it.x[j];
            rows.push(row);
          }
        }
        pending.push([i, m]);
        if (pending.length >= perCall) await flush();
      }
    }
    await flush();
    return results;
  } finally {
    if (buffer) giveBack(buffer);
  }
}

/**
 * Input buffers of {@link maskedMeans}, reused from call to call (a few megabytes each, one call per
 * group of explained rows). Allocated afresh, they were freed only by full collections in a worker
 * thread, whose young heap starts small: one every 64 MB of such buffers, each marking the whole
 * heap. A call takes a buffer at least as large as it needs and gives it back when done, so calls
 * in flight at once never share one.
 */
const spareBuffers: Float32Array[] = [];

function takeBuffer(size: number): Float32Array {
  const i = spareBuffers.findIndex((b) => b.length >= size);
  const b = i >= 0 ? spareBuffers.splice(i, 1)[0] : new Float32Array(size);
  return b.length === size ? b : b.subarray(0, size);
}

function giveBack(buffer: Float32Array): void {
  const whole = new Float32Array(buffer.buffer);
  // A few at most: one per call in flight.
  if (spareBuffers.length < 4) spareBuffers.push(whole);
}
