/**
 * An HTTP endpoint speaking the TensorFlow Serving REST predict protocol: `POST url` with
 * `{"instances": [[...], ...]}`, answered by `{"predictions": [[...], ...]}`. Built on the global
 * `fetch` of Node 20, with batching, a per-request timeout, and bounded retries with capped, jittered
 * exponential backoff.
 *
 * The endpoint is not trusted to behave: a reply is read only up to a size limit (counted after
 * gzip or deflate is undone, so a small compressed reply cannot inflate without bound), redirects
 * are not followed (the rows may be confidential: they go only to the URL given), all the calls of
 * one run share an overall deadline, and probabilities are checked (finite, within [0, 1], each row
 * summing to 1) unless the endpoint is declared to answer scores.
 */
import { InputError } from '../util/errors.js';
import { formatBytes } from '../util/files.js';
import { createRng, type Rng } from '../util/rng.js';
import { batchedBlackBox } from './batchedBlackBox.js';
import { sha256Of } from './outputs.js';
import type { BlackBox } from './types.js';

export interface HttpBlackBoxOptions {
  /** Encoded input width the endpoint expects. */
  inputSize: number;
  /** `classification` (default when the reply has more than one value per row) or `regression`. */
  task?: 'classification' | 'regression';
  /** Values per row in the reply; when absent, found by sending one row of zeros. */
  outputSize?: number;
  /** Rows per request (default 1024). */
  batchSize?: number;
  /** Milliseconds before a request is abandoned (default 30000). */
  timeoutMs?: number;
  /** Further attempts after a failed request (network error, timeout, 429 or 5xx; default 2). */
  retries?: number;
  /** First backoff delay in milliseconds, doubled per attempt (default 200). */
  backoffMs?: number;
  /** Longest backoff delay in milliseconds (default 5000); each delay is drawn in [d/2, d]. */
  maxBackoffMs?: number;
  /** Seed of the backoff jitter (default 0). Jitter changes only when requests are sent, never outputs. */
  jitterSeed?: number;
  /**
   * Largest reply body in bytes, after decompression (default: 1 MiB plus 64 bytes per value the
   * request should get back, values per row taken as 1024 until the first reply shows the width).
   */
  maxReplyBytes?: number;
  /** Milliseconds all the calls of this black box may take together, retries included (default 900000: 15 min). */
  deadlineMs?: number;
  /**
   * What a classifier's replies hold: `probabilities` (default; checked finite, within [0, 1] and
   * each row summing to 1 within 1e-3) or `scores` (unnormalised logits, only checked finite, turned
   * into probabilities with softmax, or the logistic function for one value per row).
   */
  outputs?: 'probabilities' | 'scores';
  /** Requests in flight at once (default 4). */
  concurrency?: number;
}

/** A failure of one request: whether another attempt may help. */
class RequestFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

function describeFetchError(e: unknown, timeoutMs: number, aborted: boolean): string {
  if (aborted) return `no answer within ${timeoutMs} ms (timeout)`;
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset by the server';
  return `cannot reach the endpoint: ${code ?? cause?.message ?? (e as Error)?.message ?? String(e)}`;
}

/** Reads a reply body up to `maxBytes` (decompressed bytes: fetch undoes gzip and deflate). */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  const encoded = (res.headers.get('content-encoding') ?? 'identity') !== 'identity';
  if (!encoded && Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new RequestFailure(`reply of ${formatBytes(declared)} is over the ${formatBytes(maxBytes)} limit (--max-reply)`, false);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    got += value.length;
    if (got > maxBytes) {
      await reader.cancel();
      throw new RequestFailure(`reply is over the ${formatBytes(maxBytes)} limit${encoded ? ' once decompressed' : ''} (--max-reply)`, false);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, got).toString('utf8');
}

async function postOnce(url: string, body: string, timeoutMs: number, maxBytes: number, timedOut: () => string): Promise<unknown> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    let res: Response;
    try {
      // Rows may be confidential: a redirect is reported, never followed to another place.
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: ctl.signal, redirect: 'manual' });
    } catch (e) {
      throw new RequestFailure(ctl.signal.aborted ? timedOut() : describeFetchError(e, timeoutMs, false), true);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const to = res.headers.get('location');
      throw new RequestFailure(`HTTP ${res.status} redirect${to ? ` to ${to}` : ''} not followed (rows are sent only to the URL given; give the final URL)`, false);
    }
    let text: string;
    try {
      text = await readCapped(res, maxBytes);
    } catch (e) {
      if (e instanceof RequestFailure) throw e;
      throw new RequestFailure(ctl.signal.aborted ? timedOut() : describeFetchError(e, timeoutMs, false), true);
    }
    if (!res.ok) {
      const start = text.replace(/\s+/g, ' ').trim().slice(0, 120);
      throw new RequestFailure(`HTTP ${res.status} ${res.statusText}${start ? `: ${start}` : ''}`, res.status === 429 || res.status >= 500);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new RequestFailure(`malformed reply (not JSON): ${JSON.stringify(text.slice(0, 60))}`, false);
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Turns a reply into `n × width` values. Rows may be arrays of numbers, or single numbers when each
 * row has one output.
 */
function parsePredictions(reply: unknown, n: number, width: number | null): Float32Array {
  const preds = (reply as { predictions?: unknown })?.predictions;
  if (!Array.isArray(preds)) throw new RequestFailure('malformed reply: expected {"predictions": [...]}', false);
  if (preds.length !== n) throw new RequestFailure(`wrong shape: sent ${n} instances, got ${preds.length} predictions`, false);
  const w = width ?? (Array.isArray(preds[0]) ? preds[0].length : 1);
  const out = new Float32Array(n * w);
  for (let i = 0; i < n; i++) {
    const p = preds[i];
    const row = Array.isArray(p) ? p : [p];
    if (row.length !== w) throw new RequestFailure(`wrong shape: prediction ${i + 1} has ${row.length} values, expected ${w}`, false);
    for (let j = 0; j < w; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw new RequestFailure(`malformed reply: predictions[${i}]${Array.isArray(p) ? `[${j}]` : ''} is ${JSON.stringify(v)?.slice(0, 30)}, not a number`, false);
      out[i * w + j] = v;
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The wait before retry `attempt + 1`: exponential from `firstMs`, capped at `maxMs`, with jitter
 * drawn from `rng` in [d/2, d] so that clients failing together do not retry together. The jitter
 * decides only when a request is sent again, never what it answers.
 *
 * @example
 * const rng = createRng(0);
 * [0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, rng, 200, 5000)); // within [100, 200], [200, 400], ... [2500, 5000]
 */
export function backoffDelay(attempt: number, rng: Rng, firstMs: number, maxMs: number): number {
  const d = Math.min(maxMs, firstMs * 2 ** attempt);
  return d / 2 + rng.uniform() * (d / 2);
}

/** Tolerance on a probability row's sum, and on values just outside [0, 1] (float32 rounding). */
const SUM_TOLERANCE = 1e-3;
const RANGE_TOLERANCE = 1e-6;

/**
 * Checks a classifier's replies as probabilities: finite, within [0, 1], and (more than one value
 * per row) each row summing to 1.
 */
function checkProbabilities(out: Float32Array, m: number, w: number): void {
  for (let i = 0; i < m; i++) {
    let sum = 0;
    for (let j = 0; j < w; j++) {
      const v = out[i * w + j];
      const at = `predictions[${i}]${w > 1 ? `[${j}]` : ''}`;
      if (!Number.isFinite(v)) throw new RequestFailure(`${at} is ${v}, not a probability (if the endpoint answers scores, pass --outputs scores)`, false);
      if (v < -RANGE_TOLERANCE || v > 1 + RANGE_TOLERANCE) throw new RequestFailure(`${at} is ${v}, not a probability in [0, 1] (if the endpoint answers scores, pass --outputs scores)`, false);
      sum += v;
    }
    if (w > 1 && Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new RequestFailure(`predictions[${i}] sums to ${Number(sum.toPrecision(6))}, not 1 (if the endpoint answers scores, pass --outputs scores)`, false);
    }
  }
}

/** Scores (logits) to probabilities in place: softmax per row, the logistic function for one value. */
function scoresToProbabilities(out: Float32Array, m: number, w: number): void {
  for (let i = 0; i < m; i++) {
    if (w === 1) {
      out[i] = 1 / (1 + Math.exp(-out[i]));
      continue;
    }
    let max = -Infinity;
    for (let j = 0; j < w; j++) max = Math.max(max, out[i * w + j]);
    let sum = 0;
    for (let j = 0; j < w; j++) sum += out[i * w + j] = Math.exp(out[i * w + j] - max);
    for (let j = 0; j < w; j++) out[i * w + j] /= sum;
  }
}

function checkFinite(out: Float32Array, w: number): void {
  const k = out.findIndex((v) => !Number.isFinite(v));
  if (k >= 0) throw new RequestFailure(`predictions[${Math.floor(k / w)}]${w > 1 ? `[${k % w}]` : ''} is ${out[k]}, not a finite number`, false);
}

/**
 * Connects to a TF Serving style REST endpoint as a {@link BlackBox}. Without `outputSize`, one row
 * of zeros is sent first to learn the reply's width (which also checks the endpoint answers).
 * A single output per row with `task: 'classification'` is read as a sigmoid `p`, exposed as
 * `[1 - p, p]`.
 *
 * @throws InputError (one line, naming the URL) when the endpoint is unreachable, times out,
 *   answers a non-2xx status (with the start of the body), a redirect, a reply over the size
 *   limit, malformed JSON, the wrong shape, or values that are not probabilities, after the
 *   allowed retries; or when the run's calls pass the overall deadline.
 * @example
 * const bb = await httpBlackBox('http://localhost:8501/v1/models/iris:predict', { inputSize: 4 });
 */
export async function httpBlackBox(url: string, opts: HttpBlackBoxOptions): Promise<BlackBox> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const retries = opts.retries ?? 2;
  const backoff = opts.backoffMs ?? 200;
  const maxBackoff = opts.maxBackoffMs ?? 5000;
  const jitter = createRng(opts.jitterSeed ?? 0);
  const deadlineMs = opts.deadlineMs ?? 900_000;
  const outputs = opts.outputs ?? 'probabilities';
  const batchSize = opts.batchSize ?? 1024;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const inputSize = opts.inputSize;
  const identity = { type: 'http', source: url, hash: sha256Of(url) };

  // The deadline runs from the first call, so that a black box loaded early and used late keeps it all.
  let deadline: number | null = null;
  const remaining = () => (deadline ??= Date.now() + deadlineMs) - Date.now();
  const pastDeadline = () => `the model's calls took longer than the ${deadlineMs / 1000} s allowed in all (--deadline)`;
  let task = opts.task;

  async function request(x: Float32Array, m: number, width: number | null): Promise<Float32Array> {
    const instances: number[][] = new Array(m);
    for (let i = 0; i < m; i++) instances[i] = Array.from(x.subarray(i * inputSize, (i + 1) * inputSize));
    const body = JSON.stringify({ instances });
    const maxBytes = opts.maxReplyBytes ?? 2 ** 20 + 64 * m * (width ?? 1024);
    for (let attempt = 0; ; attempt++) {
      try {
        const left = remaining();
        if (left <= 0) throw new RequestFailure(pastDeadline(), false);
        const perCall = Math.min(timeoutMs, left);
        const timedOut = () => (perCall < timeoutMs ? pastDeadline() : `no answer within ${timeoutMs} ms (timeout)`);
        const out = parsePredictions(await postOnce(url, body, perCall, maxBytes, timedOut), m, width);
        const w = out.length / m;
        if (task === 'classification' || (task === undefined && w > 1)) {
          if (outputs === 'scores') {
            checkFinite(out, w);
            scoresToProbabilities(out, m, w);
          } else checkProbabilities(out, m, w);
        }
        return out;
      } catch (e) {
        if (!(e instanceof RequestFailure)) throw e;
        const left = remaining();
        if (!e.retryable || attempt >= retries || left <= 0) {
          const tries = attempt > 0 ? ` (after ${attempt + 1} attempts)` : '';
          throw new InputError(`model endpoint: ${e.message}${tries}`, { file: url });
        }
        await sleep(Math.min(left, backoffDelay(attempt, jitter, backoff, maxBackoff)));
      }
    }
  }

  const width = opts.outputSize ?? (await request(new Float32Array(inputSize), 1, null)).length;
  task ??= width > 1 ? 'classification' : 'regression';
  return batchedBlackBox({
    task: task!,
    inputSize,
    rawOutputs: width,
    sigmoidPair: task === 'classification' && width === 1,
    identity,
    backend: 'http',
    engine: 'model endpoint',
    batchSize,
    concurrency,
    run: (x, m) => request(x, m, width),
  });
}
