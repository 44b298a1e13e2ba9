/**
 * `npm run bench`: runs every benchmark in one process and writes the results to
 * docs/benchmarks.md. Each benchmark module exports `run(): Promise<string>` returning a Markdown
 * section (starting with its `## ` heading). `npm run bench -- NAME...` runs only those and
 * replaces their sections in docs/benchmarks.md, leaving the others as they were. Arguments after
 * the names (from the first one starting with `--`) go to the benchmarks run, e.g.
 * `npm run bench -- rules-quality --data wdbc,monk1`.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../src/util/errors.js';
import { writeFileAtomic } from '../src/util/io.js';
import os from 'node:os';

const benches: Record<string, () => Promise<{ run(args?: readonly string[]): Promise<string> }>> = {
  rules: () => import('./rules.js'),
  data: () => import('./data.js'),
  tree: () => import('./tree.js'),
  extract: () => import('./extract.js'),
  predict: () => import('./predict.js'),
  lime: () => import('./lime.js'),
  shap: () => import('./shap.js'),
  gradients: () => import('./gradients.js'),
  decompositional: () => import('./decompositional.js'),
  mofn: () => import('./mofn.js'),
  scale: () => import('./scale.js'),
  'large-files': () => import('./large-files.js'),
  'extract-memory': () => import('./extract-memory.js'),
  startup: () => import('./startup.js'),
  suite: () => import('./suite.js'),
  'rules-quality': () => import('./rules-quality/index.js'),
};

const DOC = 'docs/benchmarks.md';

/** `doc` with the sections of the same heading replaced by `sections` (new headings appended). */
function spliceSections(doc: string, sections: string[]): string {
  const parts = doc.split(/^(?=## )/m);
  for (const section of sections) {
    const heading = section.split('\n')[0];
    const i = parts.findIndex((p) => p.split('\n')[0] === heading);
    const body = section.endsWith('\n') ? section + '\n' : section + '\n\n';
    if (i >= 0) parts[i] = body;
    else parts.push(body);
  }
  return parts.map((p) => (p.trim() ? p.trimEnd() + '\n\n' : p)).join('').trimEnd() + '\n';
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
  const sections: string[] = [];
  for (const [name, load] of Object.entries(benches)) {
    if (only.length && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name}...\n`);
    const mod = await load();
    sections.push(await mod.run(args));
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const head = `# Benchmarks\n\nWritten by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB. Ratios are measured within one run.\n`;
  const body = head + '\n' + sections.join('\n') + '\n';
  if (!only.length) await writeFileAtomic(DOC, body);
  else await writeFileAtomic(DOC, spliceSections(await readFile(DOC, 'utf8'), sections));
  process.stdout.write(body);
}

try {
  await mainBench();
} catch (e) {
  // a benchmark's bad argument is one line, as the CLI reports bad input
  if (!(e instanceof InputError)) throw e;
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(2);
}
