/**
 * An HTTP endpoint speaking the TensorFlow Serving REST predict protocol: `POST url` with
 * `{"instances": [[...], ...]}`, answered by `{"predictions": [[...], ...]}`. Built on the global
 * `fetch` of Node 20, with batching, a per-request timeout, and bounded retries with exponential
 * backoff.
 */
import { InputError } from '../util/errors.js';
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

async function postOnce(url: string, body: string, timeoutMs: number): Promise<unknown> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: ctl.signal });
    } catch (e) {
      throw new RequestFailure(describeFetchError(e, timeoutMs, ctl.signal.aborted), true);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new RequestFailure(describeFetchError(e, timeoutMs, ctl.signal.aborted), true);
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
 * Connects to a TF Serving style REST endpoint as a {@link BlackBox}. Without `outputSize`, one row
 * of zeros is sent first to learn the reply's width (which also checks the endpoint answers).
 * A single output per row with `task: 'classification'` is read as a sigmoid `p`, exposed as
 * `[1 - p, p]`.
 *
 * @throws InputError (one line, naming the URL) when the endpoint is unreachable, times out,
 *   answers a non-2xx status (with the start of the body), malformed JSON or the wrong shape,
 *   after the allowed retries.
 * @example
 * const bb = await httpBlackBox('http://localhost:8501/v1/models/iris:predict', { inputSize: 4 });
 */
export async function httpBlackBox(url: string, opts: HttpBlackBoxOptions): Promise<BlackBox> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const retries = opts.retries ?? 2;
  const backoff = opts.backoffMs ?? 200;
  const batchSize = opts.batchSize ?? 1024;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const inputSize = opts.inputSize;
  const identity = { type: 'http', source: url, hash: sha256Of(url) };

  async function request(x: Float32Array, m: number, width: number | null): Promise<Float32Array> {
    const instances: number[][] = new Array(m);
    for (let i = 0; i < m; i++) instances[i] = Array.from(x.subarray(i * inputSize, (i + 1) * inputSize));
    const body = JSON.stringify({ instances });
    for (let attempt = 0; ; attempt++) {
      try {
        return parsePredictions(await postOnce(url, body, timeoutMs), m, width);
      } catch (e) {
        if (!(e instanceof RequestFailure)) throw e;
        if (!e.retryable || attempt >= retries) {
          const tries = attempt > 0 ? ` (after ${attempt + 1} attempts)` : '';
          throw new InputError(`model endpoint: ${e.message}${tries}`, { file: url });
        }
        await sleep(backoff * 2 ** attempt);
      }
    }
  }

  const width = opts.outputSize ?? (await request(new Float32Array(inputSize), 1, null)).length;
  const task = opts.task ?? (width > 1 ? 'classification' : 'regression');
  return batchedBlackBox({
    task,
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
