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
import { encodedSpans, encodeRows, type EncoderJSON } from '../data/encoder.js';
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
  /** Model rows per call at most (default {@link maskedBatchRows}; a mask's R rows are never split). */
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
 * Model rows per call of {@link maskedMeans} by default: what the black box runs in one go
 * (`blackBox.batchRows`: 8,192 for an ONNX model, the request size times the requests in flight
 * for an endpoint), at most 65,536. Calls of one engine batch need no joining of outputs, and their
 * mixed rows stay in a core's cache: with an ONNX model, two threads explaining SHAP over 200 rows
 * took less time in 7 of 7 alternated pairs with 8,150-row calls than with 65,500-row ones (median
 * 1.59 s against 1.71 s).
 *
 * @example
 * maskedBatchRows(onnxModel); // 8192
 */
export function maskedBatchRows(model: TabularModel): number {
  return Math.min(65_536, model.blackBox?.batchRows ?? 65_536);
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
  const results = items.map((it) => new Float64Array(it.count));
  if (R === 0) return results;
  const perCall = Math.max(1, Math.floor((opts.batchRows ?? maskedBatchRows(model)) / R));
  const total = items.reduce((s, it) => s + it.count, 0);
  const enc = refs.encoded ? encoderOf(model) : null;
  const call: PendingCall = { units: [], rows: [], buffer: null, width: enc?.inputSize ?? 0, done: 0, total };
  if (enc) call.buffer = takeBuffer(Math.min(perCall, Math.max(1, total)) * R * enc.inputSize);
  const mix = enc ? encodedMixer(enc, refs, call.buffer!) : rawMixer(refs, call.rows);
  try {
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      mix.start(it.x);
      for (let m = 0; m < it.count; m++) {
        mix.add(it.masks, m, call.units.length / 2);
        call.units.push(i, m);
        if (call.units.length >= 2 * perCall) await flush(model, items, R, call, results, opts.progress);
      }
    }
    await flush(model, items, R, call, results, opts.progress);
    return results;
  } finally {
    if (call.buffer) giveBack(call.buffer);
  }
}

/** The masks gathered for one model call: `units` holds (item, mask) pairs, flattened. */
interface PendingCall {
  units: number[];
  /** The mixed raw rows (a model fed raw rows). */
  rows: Row[];
  /** The mixed encoded rows (a model fed through its encoder), `units × R` rows of the encoder's width. */
  buffer: Float32Array | null;
  /** The encoder's width (0 for raw rows). */
  width: number;
  done: number;
  total: number;
}

/**
 * Builds the mixed rows of one mask at slot `unit` of a call. The loops live in these small
 * functions rather than in the async loop of {@link maskedMeans}: each is optimised once, where a
 * long-running loop inside the async function was compiled and dropped again and again (about a
 * second of compilation in every thread that explains).
 */
interface Mixer {
  /** Sets the explained row of the masks that follow. */
  start(x: Row): void;
  /** Adds mask `m` of `masks` (rows of d flags) at slot `unit`. */
  add(masks: Uint8Array, m: number, unit: number): void;
}

/** Mixes in the encoded space: each mask's rows are the references' encoded block with x's encoded span of each chosen column copied over it. */
function encodedMixer(enc: EncoderJSON, refs: MaskReferences, buffer: Float32Array): Mixer {
  const w = enc.inputSize;
  const d = enc.features.length;
  const block = refs.rows.length * w;
  const spans = encodedSpans(enc);
  const starts = Int32Array.from(spans, (s) => s.start);
  const ends = Int32Array.from(spans, (s) => s.end);
  const encoded = refs.encoded!;
  let xe: Float32Array = new Float32Array(w);
  return {
    start(x) {
      xe = encodeRows(enc, [x]);
    },
    add(masks, m, unit) {
      const base = unit * block;
      buffer.set(encoded, base);
      for (let j = 0, at = m * d; j < d; j++) if (masks[at + j]) copySpan(buffer, xe, base, block, w, starts[j], ends[j]);
    },
  };
}

/** Writes x's encoded columns `[start, end)` into each of a mask's rows (at `base`, `block` values, rows of width `w`). */
function copySpan(buffer: Float32Array, xe: Float32Array, base: number, block: number, w: number, start: number, end: number): void {
  if (end - start === 1) {
    const v = xe[start];
    for (let o = base + start; o < base + block; o += w) buffer[o] = v;
  } else {
    for (let o = base; o < base + block; o += w) for (let q = start; q < end; q++) buffer[o + q] = xe[q];
  }
}

/** Mixes raw rows (a model without an encoder): a copy of each reference row with x's values on the chosen columns. */
function rawMixer(refs: MaskReferences, rows: Row[]): Mixer {
  let x: Row = [];
  return {
    start(row) {
      x = row;
    },
    add(masks, m) {
      const d = x.length;
      for (const ref of refs.rows) {
        const row = ref.slice();
        for (let j = 0; j < d; j++) if (masks[m * d + j]) row[j] = x[j];
        rows.push(row);
      }
    },
  };
}

/** Runs the model on the pending masks' rows and stores each mask's mean of its item's output. */
async function flush(model: TabularModel, items: readonly MaskedItem[], R: number, call: PendingCall, results: Float64Array[], progress?: (done: number, total: number) => void): Promise<void> {
  const count = call.units.length / 2;
  if (!count) return;
  const n = count * R;
  const out = call.buffer ? await model.blackBox.predict(call.buffer.subarray(0, n * call.width), n) : await model.predictRows(call.rows);
  storeMeans(out, call.units, items, R, model.outputSize, results);
  call.done += count;
  call.units.length = 0;
  call.rows.length = 0;
  progress?.(call.done, call.total);
}

/** Each pending mask's mean over its R rows of `out` of its item's output column. */
function storeMeans(out: Float32Array, units: readonly number[], items: readonly MaskedItem[], R: number, k: number, results: Float64Array[]): void {
  for (let u = 0; u < units.length; u += 2) {
    const i = units[u];
    const c = items[i].output;
    let s = 0;
    for (let r = 0, o = (u / 2) * R * k + c; r < R; r++, o += k) s += out[o];
    results[i][units[u + 1]] = s / R;
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
