import { describe, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { closedPortUrl, startServer, expectInputError, useLabelledCsv } from './fixtures.js';

const tmp = useLabelledCsv();

describe('distill predict: bad endpoints exit 2 with one line', () => {
  it('endpoint refused, timing out, answering garbage, 500 or the wrong shape', async () => {
    const refused = await closedPortUrl();
    const cases: [import('./fixtures.js').Handler | null, string[], RegExp][] = [
      [null, ['--retries', '0'], /^distill: http:\/\/127\.0\.0\.1:\d+\/v1\/models\/test:predict: model endpoint: connection refused/],
      [() => {}, ['--timeout', '0.3', '--retries', '0'], /model endpoint: no answer within 300 ms \(timeout\)/],
      [(_b, _q, res) => res.end('<html>oops</html>'), [], /model endpoint: malformed reply \(not JSON\): "<html>oops<\/html>"/],
      [(_b, _q, res) => (res.writeHead(500), res.end('boom')), ['--retries', '1'], /model endpoint: HTTP 500 Internal Server Error: boom \(after 2 attempts\)/],
      [(_b, _q, res) => res.end('{"predictions": [[1, 2], [3, 4]]}'), [], /model endpoint: wrong shape: sent 1 instances, got 2 predictions/],
    ];
    // independent processes, one server each: run them side by side
    const servers = await Promise.all(cases.map(([handler]) => (handler ? startServer(handler) : null)));
    try {
      const results = await Promise.all(
        cases.map(([, flags], i) => runCli(['predict', '--model', servers[i]?.url ?? refused, '--data', tmp.csv(), ...flags])),
      );
      results.forEach((r, i) => expectInputError(r, cases[i][2]));
    } finally {
      await Promise.all(servers.map((srv) => srv?.close()));
    }
  }, 120_000);
});
