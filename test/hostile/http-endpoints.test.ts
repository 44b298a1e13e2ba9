/**
 * Hostile HTTP endpoints: replies that never end or inflate without bound, redirects to another
 * place, values that are not probabilities, endpoints that never answer. Each case: the exact
 * one-line error, exit 2.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelay, httpBlackBox } from '../../src/model/httpBlackBox.js';
import { createRng } from '../../src/util/rng.js';
import { EXPECTED, INPUTS, NETWORK, servingHandler, startServer, useLabelledCsv, type Handler } from '../model/fixtures.js';
import { expectLine, runEach } from './sec-helpers.js';

const tmp = useLabelledCsv();
const servers: Awaited<ReturnType<typeof startServer>>[] = [];
const serve = async (h: Handler) => {
  const s = await startServer(h);
  servers.push(s);
  return s.url;
};
afterAll(() => Promise.all(servers.map((s) => s.close())));

const predict = (url: string, ...flags: string[]) => ['predict', '--model', url, '--data', tmp.csv(), '--quiet', ...flags];
const SCORES_HINT = '(if the endpoint answers scores, pass --outputs scores)';

describe('HTTP endpoints that misbehave', () => {
  const hits = { redirected: 0 };
  let urls: Record<string, string> = {};
  beforeAll(async () => {
    const target = await serve((_b, _q, res) => {
      hits.redirected++;
      res.end('{"predictions": [[0.5, 0.5]]}');
    });
    urls = {
      endless: await serve((_b, _q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const more = () => {
          while (res.write(chunk));
          res.once('drain', more);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        more();
      }),
      bomb: await serve((_b, _q, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(Buffer.alloc(8 * 2 ** 20, 0x20)));
      }),
      redirect: await serve((_b, _q, res) => {
        res.writeHead(307, { location: target });
        res.end();
      }),
      negative: await serve((_b, _q, res) => res.end('{"predictions": [[-5, 100]]}')),
      sums: await serve((_b, _q, res) => res.end('{"predictions": [[0.5, 0.6]]}')),
      silent: await serve(() => {}),
      target,
    };
  });

  it('each refused with one line', async () => {
    const cases: [string[], string][] = [
      [predict(urls.endless, '--max-reply', '0.5'), `${urls.endless}: model endpoint: reply is over the 512 KiB limit (--max-reply)`],
      [predict(urls.bomb, '--max-reply', '1'), `${urls.bomb}: model endpoint: reply is over the 1 MiB limit once decompressed (--max-reply)`],
      [predict(urls.bomb), `${urls.bomb}: model endpoint: reply is over the 1.1 MiB limit once decompressed (--max-reply)`],
      [
        predict(urls.redirect),
        `${urls.redirect}: model endpoint: HTTP 307 redirect to ${urls.target} not followed (rows are sent only to the URL given; give the final URL)`,
      ],
      [predict(urls.negative), `${urls.negative}: model endpoint: predictions[0][0] is -5, not a probability in [0, 1] ${SCORES_HINT}`],
      [predict(urls.sums), `${urls.sums}: model endpoint: predictions[0] sums to 1.1, not 1 ${SCORES_HINT}`],
      [predict(urls.silent, '--deadline', '0.3'), `${urls.silent}: model endpoint: the model's calls took longer than the 0.3 s allowed in all (--deadline)`],
      [predict(urls.silent, '--deadline', '0'), '--deadline: expected a number in (0, 86400], got 0'],
      [predict(urls.silent, '--max-reply', '-1'), '--max-reply: expected a number in (0, 2048], got -1'],
      [predict(urls.silent, '--outputs', 'logits'), '--outputs: expected one of "probabilities", "scores", got "logits" (see distill predict --help)'],
    ];
    const results = await runEach(cases.map(([args]) => args));
    results.forEach((r, i) => expectLine(r, cases[i][1]));
    expect(hits.redirected).toBe(0);
  }, 120_000);

  it('--outputs scores: logits become probabilities (softmax)', async () => {
    const url = await serve((body, _q, res) => {
      const { instances } = JSON.parse(body) as { instances: number[][] };
      res.end(JSON.stringify({ predictions: instances.map(() => [-5, 100]) }));
    });
    const [r] = await runEach([predict(url, '--outputs', 'scores')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(INPUTS.length);
    for (const line of rows) expect(line.split(',').slice(0, 2).map(Number)).toEqual([0, 1]);
  }, 60_000);
});

describe('retries', () => {
  it('backoff is exponential, capped and jittered within [d/2, d], the same for the same seed', () => {
    const a = createRng(0);
    const b = createRng(0);
    const delays = Array.from({ length: 12 }, (_, i) => backoffDelay(i, a, 200, 5000));
    expect(Array.from({ length: 12 }, (_, i) => backoffDelay(i, b, 200, 5000))).toEqual(delays);
    delays.forEach((d, i) => {
      const full = Math.min(5000, 200 * 2 ** i);
      expect(d).toBeGreaterThanOrEqual(full / 2);
      expect(d).toBeLessThanOrEqual(full);
    });
    expect(new Set(delays.slice(6)).size).toBe(6); // capped, but still spread
  });

  it('retried requests give the same outputs', async () => {
    let calls = 0;
    const ok = servingHandler(NETWORK);
    const url = await serve((body, req, res) => {
      if (calls++ % 2 === 0) return void (res.writeHead(503), res.end('busy'));
      ok(body, req, res);
    });
    const bb = await httpBlackBox(url, { inputSize: 3, retries: 3, backoffMs: 1, jitterSeed: 7 });
    const out = await bb.predict(Float32Array.from(INPUTS.flat()), INPUTS.length);
    EXPECTED.flat().forEach((v, i) => expect(Math.abs(out[i] - v)).toBeLessThan(1e-5));
    expect(calls).toBeGreaterThanOrEqual(4);
  });
});
