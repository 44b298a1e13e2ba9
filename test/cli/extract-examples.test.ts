import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildExample, EXAMPLES, EXAMPLES_DIR } from '../../scripts/rules-examples.js';

describe('rules/examples (npm run rules:examples)', () => {
  it('regenerates the iris examples byte for byte', async () => {
    const cache = new Map();
    for (const name of ['iris-cart', 'iris-trepan']) {
      const ex = EXAMPLES.find((e) => e.name === name)!;
      const text = await buildExample(ex, cache);
      expect(text).toBe(await readFile(join(EXAMPLES_DIR, `${name}.json`), 'utf8'));
    }
    for (const entry of cache.values()) await (await entry).model.dispose();
  }, 60_000);

  it('has a file for every example, each with provenance pinned to SOURCE_DATE_EPOCH', async () => {
    for (const ex of EXAMPLES) {
      const rs = JSON.parse(await readFile(join(EXAMPLES_DIR, `${ex.name}.json`), 'utf8'));
      expect(rs.provenance).toMatchObject({ method: ex.method, seed: 42, data: ex.data, createdAt: '2026-01-01T00:00:00.000Z' });
    }
  });
});
