/**
 * Large-file benchmark: `datasets`, `predict` and `apply` on generated CSV files of about 200 MB
 * and 1 GB, each command run as its own process (`node --import tsx src/cli/entry.ts`) under
 * `/usr/bin/time`, which reports the peak resident memory (RSS), the wall time and the CPU time.
 * (The memory of data loaded for extraction is bench/extract-memory.ts.) The files are written into
 * a temporary folder, removed at the end: never committed.
 *
 * Run alone with `npm run bench -- large-files` (prints the section; a full `npm run bench`
 * writes it into docs/benchmarks.md).
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src/util/rng.js';

const ROOT = join(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'src', 'cli', 'entry.ts');
const MB = 1e6;

/** Sizes of the generated files (bytes); `DISTILL_BENCH_LARGE_MB` (comma-separated MB) overrides. */
const SIZES = (process.env.DISTILL_BENCH_LARGE_MB ?? '200,1000').split(',').map((s) => Number(s) * MB);

const HEADER = 'x0,x1,x2,x3,x4,x5,x6,x7,kind,y\n';
const KINDS = ['alpha', 'beta', 'gamma'];

/** One seeded row: 8 numbers with 4 decimals, a category (unless `numeric`), a class that depends on them. */
function row(rng: ReturnType<typeof createRng>, numeric: boolean): string {
  const x: number[] = [];
  for (let j = 0; j < 8; j++) x.push(Math.round(rng.normal() * 1e4 * (j + 1)) / 1e4);
  const kind = KINDS[Math.floor(rng.uniform() * 3)];
  const y = x[0] + x[1] / 2 > (kind === 'beta' ? 0.5 : 0) ? 'yes' : 'no';
  return numeric ? `${x.join(',')},${y}\n` : `${x.join(',')},${kind},${y}\n`;
}

/**
 * Writes a CSV of about `bytes` bytes (8 numeric columns, a categorical one unless `numeric`, a
 * class target); resolves with its row count.
 */
export async function writeCsv(path: string, bytes: number, seed: number, numeric = false): Promise<number> {
  const rng = createRng(seed);
  const out = createWriteStream(path);
  const header = numeric ? HEADER.replace(',kind', '') : HEADER;
  let size = header.length;
  let rows = 0;
  out.write(header);
  while (size < bytes) {
    const parts: string[] = [];
    for (let i = 0; i < 4096; i++) parts.push(row(rng, numeric));
    const chunk = parts.join('');
    size += chunk.length;
    rows += parts.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

export interface Run {
  wall: number;
  cpu: number;
  rssMiB: number;
}

/** Runs a command under /usr/bin/time: wall seconds, CPU seconds (user + system), peak RSS. */
export function timed(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/time', ['-f', 'TIME %e %U %S %M', cmd, ...args], { cwd: ROOT, maxBuffer: 64 * 2 ** 20, env: { ...process.env, SOURCE_DATE_EPOCH: '1767225600' } }, (err, _stdout, stderr) => {
      const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
      if (err || !m) return reject(new Error(`${args.slice(2, 4).join(' ')} failed: ${err?.message ?? ''}\n${stderr.slice(-2000)}`));
      resolve({ wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMiB: Number(m[4]) / 1024 });
    });
  });
}

export const distill = (args: string[]) => timed(process.execPath, ['--import', 'tsx', ENTRY, ...args, '--quiet']);

/** Peak RSS and the retained heap of `loadDataset` on a file (held as rows, or column by column with `columns`), in a fresh process. */
export async function loadMemory(file: string, columns = false): Promise<{ run: Run; heapMiB: number }> {
  const script = join(tmpdir(), `distill-bench-load-${process.pid}.mts`);
  const load = join(ROOT, 'src', 'data', 'load.ts');
  await writeFile(
    script,
    `import { loadDataset } from ${JSON.stringify(load)};\n` +
      `const used = () => { globalThis.gc?.(); const m = process.memoryUsage(); return m.heapUsed + m.external; };\n` +
      `const before = used();\n` +
      `const ds = await loadDataset(${JSON.stringify(file)}, { columns: ${columns} });\n` +
      `process.stderr.write('HEAP ' + (used() - before) + ' ' + (ds.table?.n ?? ds.rows.length) + '\\n');\n`,
  );
  let heap = 0;
  const run = await new Promise<Run>((resolve, reject) => {
    execFile('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, '--expose-gc', '--max-old-space-size=16000', '--import', 'tsx', script], { cwd: ROOT }, (err, _o, stderr) => {
      const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
      const h = /HEAP (\d+)/.exec(stderr);
      if (err || !m || !h) return reject(new Error(`loadDataset failed: ${err?.message ?? ''}\n${stderr.slice(-2000)}`));
      heap = Number(h[1]);
      resolve({ wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMiB: Number(m[4]) / 1024 });
    });
  });
  await rm(script, { force: true });
  return { run, heapMiB: heap / 2 ** 20 };
}

/** Runs `jobs` at most `n` at a time; results in order. */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, worker));
  return out;
}

/** Commands run at the same time (`DISTILL_BENCH_LARGE_JOBS`, default 2): memory is per process; rates are per CPU second. */
const JOBS = Number(process.env.DISTILL_BENCH_LARGE_JOBS ?? 2);

/** Rows of a generated file (its lines less the header). */
export async function countRows(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file)) for (const b of chunk as Buffer) if (b === 10) n++;
  return n - 1;
}

/** Whether `path` exists. */
export const exists = (path: string) => stat(path).then(() => true, () => false);

/**
 * Runs `fn` in a working folder: `DISTILL_BENCH_LARGE_DIR` when set (kept between runs, its
 * generated files used again), else a temporary folder removed afterwards.
 *
 * @example
 * const text = await inBenchDir('distill-bench-large-', async (dir) => measure(join(dir, 'big.csv')));
 */
export async function inBenchDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const keep = process.env.DISTILL_BENCH_LARGE_DIR;
  const dir = keep ?? (await mkdtemp(join(tmpdir(), prefix)));
  try {
    return await fn(dir);
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<string> {
  return inBenchDir('distill-bench-large-', async (dir) => {
    // A small labelled file of the same columns: the network and the rules come from it.
    const small = join(dir, 'small.csv');
    const model = join(dir, 'model');
    const rules = join(dir, 'rules.json');
    if (!(await exists(rules))) {
      await writeCsv(small, 300_000, 7);
      await distill(['train', '--data', small, '--out', model, '--hidden', '8', '--epochs', '5']);
      await distill(['extract', '--model', model, '--data', small, '--method', 'cart', '--out', rules]);
    }

    const files: { file: string; rows: number; label: string }[] = [];
    for (const bytes of SIZES) {
      const file = join(dir, `big-${bytes / MB}.csv`);
      const rows = (await exists(file)) && (await stat(file)).size >= bytes ? await countRows(file) : await writeCsv(file, bytes, 11);
      files.push({ file, rows, label: `${((await stat(file)).size / MB).toFixed(0)} MB` });
    }
    const jobs: (() => Promise<string>)[] = [];
    for (const { file, rows, label } of [...files].reverse()) {
      const cases: [string, string[]][] = [
        ['datasets', ['datasets', file]],
        ['predict', ['predict', '--model', model, '--data', file, '--out', `${file}.pred.csv`]],
        ['apply', ['apply', '--rules', rules, '--data', file, '--out', `${file}.apply.csv`]],
      ];
      for (const [name, args] of cases) {
        jobs.push(async () => {
          const r = await distill(args);
          const line = `| ${label} | ${rows.toLocaleString('en-US')} | ${name} | ${r.rssMiB.toFixed(0)} MiB | ${r.wall.toFixed(1)} s | ${r.cpu.toFixed(1)} s | ${Math.round(rows / r.cpu).toLocaleString('en-US')} |`;
          process.stderr.write(`bench: large-files: ${line}\n`);
          await rm(`${file}.pred.csv`, { force: true });
          await rm(`${file}.apply.csv`, { force: true });
          return line;
        });
      }
    }
    const lines = [
      '## Large files: streaming `datasets`, `predict`, `apply`',
      '',
      `Generated CSV files (8 numeric columns with 4 decimals, one categorical, a class target; about 69 bytes a row), written into a temporary folder by the benchmark (\`bench/large-files.ts\`) and removed after it; a small network and CART rules come from a 0.5 MB sample of the same columns. Each command is its own process run from the sources (\`node --import tsx src/cli/entry.ts … --quiet\`, \`--out\` into the same folder; about 100 MiB of RSS is Node, tsx and the CLI's modules before any data), ${JOBS} at a time, measured by \`/usr/bin/time\`: peak resident memory (RSS, the whole process: Node, the CLI's modules, the model runtime), wall time, CPU time (user + system). \`datasets\` scans the file once; \`apply\` and \`predict\` (a model with its encoder) read it once, typed by the rule set's or the encoder's schema, in batches of 1,024 rows. The machine is shared with other work (load average ${os.loadavg()[0].toFixed(1)} when the runs started, 2 cores), so wall times carry its load; rows/s is rows per CPU second, the steadier figure. The target: under 500 MB RSS for a 1 GB file.`,
      '',
      '| file | rows | command | peak RSS | wall | CPU | rows/s (per CPU second) |',
      '| ---: | ---: | --- | ---: | ---: | ---: | ---: |',
    ];
    const commands = await pool(jobs, JOBS);
    // Listed smallest file first.
    lines.push(...commands.slice(-3), ...commands.slice(0, -3));
    return lines.join('\n') + '\n';
  });
}
