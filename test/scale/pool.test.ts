/**
 * Worker threads give the same bytes as one thread, whatever their number: explanations (LIME
 * with faithfulness, and Anchors, whose rules carry their own provenance), a bootstrap interval
 * and a CART extraction whose sample is labelled in the threads. Threads load the ONNX model from
 * its origin, as the CLI's would.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alignRows,
  explainRows,
  exportExplanations,
  exportRuleSet,
  extractRules,
  functionBlackBox,
  createTabularModel,
  cutPieces,
  loadDataset,
  loadModel,
  scoreRuleSet,
  scoreRuleSetWith,
  threadBootstrapper,
  threadRunner,
  withWorkers,
  WorkerPool,
  type Dataset,
  type ExplainJob,
  type PooledModel,
  type TabularModel,
} from '../../src/index.js';
import { useScaleFixture } from './fixture.js';

const fx = useScaleFixture();

describe('worker threads: the same bytes for 1, 2 and 3 workers', () => {
  it('explain: LIME with faithfulness and Anchors, rows back in input order', async () => {
    const rowIds = Array.from({ length: 20 }, (_, i) => 1999 - 7 * i);
    const rows = rowIds.map((i) => fx.data.rows[i]);
    const notes: string[] = [];
    const run = (workers: number) =>
      explainRows(
        ['lime', 'anchors'],
        { model: fx.model, data: fx.data, rows, rowIds, seed: 5, faithfulness: 4, rowsPerBatch: 5, runner: threadRunner(fx.model, workers, (t) => notes.push(t)) },
        { lime: { samples: 200, fidelitySamples: 20 }, anchors: { coverageSamples: 200, batchSize: 50 } },
      ).then(exportExplanations);
    const one = await run(1);
    expect(await run(2)).toBe(one);
    expect(await run(3)).toBe(one);
    expect(notes).toEqual(['explaining 4 batches of up to 5 rows in 2 worker threads', 'explaining 4 batches of up to 5 rows in 3 worker threads']);
    const file = JSON.parse(one);
    expect(file.explanations.map((e: { row: number }) => e.row)).toEqual(rowIds.flatMap((r) => [r, r]));
  }, 180_000);

  it('score: the bootstrap interval over 2,000 rows and 1,000 resamples', async () => {
    const rs = await extractRules('cart', { model: fx.model, data: fx.data, seed: 1 }, { samples: 0, maxDepth: 2 });
    const rows = alignRows(fx.data, fx.model.schema.features);
    const labels = await fx.model.predictLabels(rows);
    const opts = { seed: 3, bootstrap: 1000 };
    const one = scoreRuleSet(rs, rows, labels, undefined, opts);
    const notes: string[] = [];
    for (const workers of [2, 3]) expect(await scoreRuleSetWith(rs, rows, labels, undefined, opts, threadBootstrapper(workers, (t) => notes.push(t)))).toEqual(one);
    expect(notes).toEqual(['bootstrap: 1000 resamples in 2 threads (this one and 1 worker thread)', 'bootstrap: 1000 resamples in 3 threads (this one and 2 worker threads)']);
    expect(one.fidelity.ci95).not.toBeNull();
  }, 120_000);

  it('extract cart: a 32,000-row sample labelled in the threads', async () => {
    const run = async (workers: number) => {
      const { model: m } = withWorkers(await loadModel(join(fx.dir, 'model')), workers);
      try {
        const rs = exportRuleSet(await extractRules('cart', { model: m, data: fx.data, seed: 2 }, { samples: 32_000, maxDepth: 3 }));
        return { rs, tasks: (m as Partial<PooledModel>).pool?.tasksRun ?? 0 };
      } finally {
        await m.dispose();
      }
    };
    const one = await run(1);
    const two = await run(2);
    const three = await run(3);
    expect(two.rs).toBe(one.rs);
    expect(three.rs).toBe(one.rs);
    // 33,600 rows (the 1,600 the held-out fifth leaves, and the 32,000 drawn) in 9 chunks of
    // 4,096, shared between this thread and the pool's: the threads took some, never all.
    expect(one.tasks).toBe(0);
    for (const { tasks } of [two, three]) {
      expect(tasks).toBeGreaterThan(0);
      expect(tasks).toBeLessThan(9);
    }
  }, 180_000);

  it('a model given threads keeps them from run to run: the same threads, the same bytes', async () => {
    const rowIds = Array.from({ length: 12 }, (_, i) => 3 * i);
    const rows = rowIds.map((i) => fx.data.rows[i]);
    const run = (m: TabularModel, workers: number, seed: number) =>
      explainRows('lime', { model: m, data: fx.data, rows, rowIds, seed, faithfulness: 0, rowsPerBatch: 3, runner: threadRunner(m, workers) }, { samples: 200, fidelitySamples: 0 }).then(exportExplanations);
    const { model: m } = withWorkers(await loadModel(join(fx.dir, 'model')), 2);
    const pool = (m as PooledModel).pool;
    try {
      const first = await run(m, 2, 1);
      const ids = await pool.threadIds();
      const tasks = pool.tasksRun;
      // Every piece of the run's 4 batches went to a worker thread; this thread explained none.
      const batches = [0, 1, 2, 3].map((k) => ({ index: k, rows: rows.slice(3 * k, 3 * k + 3), rowIds: rowIds.slice(3 * k, 3 * k + 3) }));
      expect(tasks).toBe(cutPieces(batches, 2).length);
      // A second run (another job, its own seed) on the same threads, a third back on the first job's options.
      expect(await run(m, 2, 2)).toBe(await run(fx.model, 1, 2));
      expect(await run(m, 2, 1)).toBe(first);
      expect(first).toBe(await run(fx.model, 1, 1));
      expect(ids).toHaveLength(2);
      expect(await pool.threadIds()).toEqual(ids);
      expect(pool.tasksRun).toBeGreaterThan(tasks);
      // Each run's first tasks carry its job: the thread never had to ask for one.
      expect(pool.jobsResent).toBe(0);
    } finally {
      await m.dispose();
    }
    expect(await pool.threadIds()).toEqual([]);
  }, 120_000);

  it('a thread sent a task naming a job it does not have asks for it, and gets the task again with the job', async () => {
    const pool = new WorkerPool(1, { model: fx.model.origin });
    const job: ExplainJob = {
      methods: ['lime'],
      options: { lime: { samples: 50, fidelitySamples: 0 } },
      data: { source: fx.data.source, schema: fx.data.schema },
      stats: fx.data,
      seed: 1,
      faithfulness: 0,
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    const batch = { index: 0, rows: fx.data.rows.slice(0, 2), rowIds: [0, 1] };
    try {
      const first = await pool.explain('job-1', job, batch, false);
      expect(pool.jobsResent).toBe(1);
      const again = await pool.explain('job-1', job, batch, false);
      expect(pool.jobsResent).toBe(1);
      expect(again.methods[0].explanations).toEqual(first.methods[0].explanations);
      expect(first.methods[0].explanations.map((e) => e.row)).toEqual([0, 1]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('a JavaScript function model stays in this thread, and says why', () => {
    const bb = functionBlackBox((x, n) => new Float32Array(2 * n).fill(0.5), { task: 'classification', inputSize: 4, outputSize: 2, name: 'half' });
    const fn = createTabularModel(bb, fx.model.encoder!);
    const notes: string[] = [];
    expect(threadRunner(fn, 4, (t) => notes.push(t))).toBeUndefined();
    expect(withWorkers(fn, 4).reason).toBe(notes[0]);
    expect(notes[0]).toBe('the model is a JavaScript function, which cannot be sent to a worker thread: running in this thread');
  });
});
