/**
 * The parts of the thread pool that need no thread: rows repacked after a structured clone keep
 * their values, a sources' thread starts without tsx's loader options, and batches are cut into
 * pieces, large ones first, so that the threads finish together.
 */
import { describe, expect, it } from 'vitest';
import { cutPieces } from '../../src/scale/explain.js';
import { withoutTsx } from '../../src/scale/pool.js';
import { KEPT_JOBS, replyTo, repackRows, type TaskReply, type TaskState } from '../../src/scale/tasks.js';
import type { BatchResult, ExplainJob } from '../../src/local/run.js';
import { useScaleFixture } from './fixture.js';

describe('repackRows', () => {
  it('copies every row cell for cell, missing values and categories included', () => {
    const rows = structuredClone([
      [1.5, 'red', null],
      [-0, 'blue', 3],
    ]);
    const out = repackRows(rows);
    expect(out).toEqual(rows);
    expect(out[0]).not.toBe(rows[0]);
    expect(Object.is(out[1][0], -0)).toBe(true);
    expect(repackRows([])).toEqual([]);
  });
});

describe('withoutTsx', () => {
  it('drops the options that load tsx and those a thread refuses, keeps the rest', () => {
    expect(withoutTsx(['--import', 'tsx', '--max-old-space-size=4096', '--conditions', 'development'])).toEqual(['--conditions', 'development']);
    expect(withoutTsx(['--require', '/p/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///p/node_modules/tsx/dist/loader.mjs', '--cpu-prof'])).toEqual([]);
    expect(withoutTsx(['--import=tsx', '--enable-source-maps', '--experimental-loader=tsx', '--no-warnings', '-C', 'x'])).toEqual(['--enable-source-maps', '--no-warnings', '-C', 'x']);
  });
});

describe('cutPieces', () => {
  const batch = (n: number, index = 0) => ({ index, rows: Array.from({ length: n }, (_, i) => [index * 100 + i]), rowIds: Array.from({ length: n }, (_, i) => index * 100 + i) });
  const sizes = (batches: ReturnType<typeof batch>[], threads: number) => cutPieces(batches, threads).map((p) => p.piece.rows.length);

  it('cuts large pieces first, then smaller ones, each within its batch, every row once and in order', () => {
    const batches = Array.from({ length: 8 }, (_, k) => batch(25, k));
    const pieces = cutPieces(batches, 2);
    expect(pieces.map((p) => p.piece.rows.length)).toEqual([25, 25, 25, 25, 25, 19, 6, 13, 10, 2, 7, 5, 4, 4, 4, 1]);
    expect(pieces.flatMap((p) => p.piece.rowIds)).toEqual(batches.flatMap((b) => b.rowIds));
    expect(pieces.flatMap((p) => p.piece.rows)).toEqual(batches.flatMap((b) => b.rows));
    for (const { batch: k, piece } of pieces) {
      expect(piece.index).toBe(k);
      expect(piece.rowIds.every((id) => Math.floor(id / 100) === k)).toBe(true);
    }
  });

  it('shrinks to a 32nd of the rows per thread at the least (or what is left of a batch), never below a row', () => {
    expect(sizes([batch(100)], 2)).toEqual([25, 19, 14, 11, 8, 6, 5, 3, 3, 2, 2, 2]);
    const pieces = cutPieces(Array.from({ length: 32 }, (_, k) => batch(32, k)), 2);
    // 1,024 rows, 2 threads: at least 16 rows a piece, but for the last piece of a batch.
    pieces.forEach((p, i) => expect(p.piece.rows.length >= 16 || pieces[i + 1]?.batch !== p.batch).toBe(true));
    expect(pieces.length).toBeLessThan(48);
    expect(sizes([batch(3)], 2)).toEqual([1, 1, 1]);
    expect(sizes([batch(0)], 2)).toEqual([0]);
  });
});

describe('replyTo: explanation jobs sent once per thread', () => {
  const fx = useScaleFixture(200);
  const job = (seed: number): ExplainJob => ({
    methods: ['lime'],
    options: { lime: { samples: 50, fidelitySamples: 0 } },
    data: { source: fx.data.source, schema: fx.data.schema },
    stats: structuredClone(fx.data),
    seed,
    faithfulness: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
  });

  it('asks for a job it does not have, keeps the last ones it was sent', async () => {
    const batch = { index: 0, rows: [fx.data.rows[0]], rowIds: [0] };
    const state: TaskState = { inputs: { model: fx.model.origin }, load: async () => fx.model };
    expect(await replyTo(state, { kind: 'explain', job: { id: 'a' }, batch })).toEqual({ needsJob: true });
    const a = await replyTo(state, { kind: 'explain', job: { id: 'a', job: job(1) }, batch });
    expect(a).toHaveProperty('ok');
    // Named by id alone, the job kept gives the same explanation.
    const explanations = (r: TaskReply) => ('ok' in r ? (r.ok as BatchResult).methods[0].explanations : r);
    expect(explanations(await replyTo(state, { kind: 'explain', job: { id: 'a' }, batch }))).toEqual(explanations(a));
    for (let k = 0; k < KEPT_JOBS; k++) expect(await replyTo(state, { kind: 'explain', job: { id: `b${k}`, job: job(2 + k) }, batch })).toHaveProperty('ok');
    expect(state.jobs?.size).toBe(KEPT_JOBS);
    expect(await replyTo(state, { kind: 'explain', job: { id: 'a' }, batch })).toEqual({ needsJob: true });
  });
});
