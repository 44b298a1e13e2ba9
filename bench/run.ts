/**
 * `npm run bench`: runs every benchmark in one process and writes the results to
 * docs/benchmarks.md. Each benchmark module exports `run(args?): Promise<string>` returning a
 * Markdown section (a `## ` heading and what follows). Run some with `npm run bench -- NAME...`:
 * their sections replace the sections of the same heading in docs/benchmarks.md (or are appended),
 * the others are kept. Arguments after the names (starting with `--`) go to the benchmarks run,
 * e.g. `npm run bench -- rules-quality --data wdbc,monk1`.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { writeFileAtomic } from '../src/util/io.js';

const benches: Record<string, () => Promise<{ run(args?: readonly string[]): Promise<string> }>> = {
  rules: () => import('./rules.js'),
  data: () => import('./data.js'),
  tree: () => import('./tree.js'),
  extract: () => import('./extract.js'),
  predict: () => import('./predict.js'),
  lime: () => import('./lime.js'),
  decompositional: () => import('./decompositional.js'),
  'rules-quality': () => import('./rules-quality/index.js'),
};

const OUT = 'docs/benchmarks.md';

/** The `## ` sections of a Markdown text, keyed by heading line, in order. */
export function splitSections(text: string): { head: string; sections: Map<string, string> } {
  const parts = text.split(/^(?=## )/m);
  const head = parts[0].startsWith('## ') ? '' : parts.shift()!;
  const sections = new Map<string, string>();
  for (const p of parts) sections.set(p.slice(0, p.indexOf('\n') < 0 ? p.length : p.indexOf('\n')), p.trimEnd() + '\n');
  return { head, sections };
}

async function mainBench(): Promise<void> {
  const argv = process.argv.slice(2);
  const firstOption = argv.findIndex((a) => a.startsWith('--'));
  const only = firstOption < 0 ? argv : argv.slice(0, firstOption);
  const args = firstOption < 0 ? [] : argv.slice(firstOption);
  const unknown = only.filter((n) => !Object.hasOwn(benches, n));
  if (unknown.length) {
    process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; benchmarks: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
  const produced: string[] = [];
  for (const [name, load] of Object.entries(benches)) {
    if (only.length && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name}...\n`);
    const mod = await load();
    produced.push(await mod.run(args));
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const head = `# Benchmarks\n\nWritten by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB. Ratios are measured within one run.\n\n`;
  const fresh = splitSections(produced.join('\n'));
  let body: string;
  if (!only.length || !existsSync(OUT)) body = head + [...fresh.sections.values()].join('\n');
  else {
    const kept = splitSections(readFileSync(OUT, 'utf8')).sections;
    for (const [k, v] of fresh.sections) kept.set(k, v);
    body = head + [...kept.values()].join('\n');
  }
  await writeFileAtomic(OUT, body);
  process.stdout.write(produced.join('\n') + '\n');
}

await mainBench();
