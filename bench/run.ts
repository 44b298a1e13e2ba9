/**
 * `npm run bench`: runs every benchmark in one process and writes the results to
 * docs/benchmarks.md. Each benchmark module exports `run(): Promise<string>` returning a Markdown
 * section (starting with its `## ` heading). `npm run bench -- NAME...` runs only those and
 * replaces their sections in docs/benchmarks.md, leaving the others as they were.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../src/util/io.js';
import os from 'node:os';

const benches: Record<string, () => Promise<{ run(): Promise<string> }>> = {
  rules: () => import('./rules.js'),
  data: () => import('./data.js'),
  tree: () => import('./tree.js'),
  extract: () => import('./extract.js'),
  predict: () => import('./predict.js'),
  lime: () => import('./lime.js'),
  shap: () => import('./shap.js'),
  gradients: () => import('./gradients.js'),
  decompositional: () => import('./decompositional.js'),
  scale: () => import('./scale.js'),
  startup: () => import('./startup.js'),
  suite: () => import('./suite.js'),
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
  return parts.join('').trimEnd() + '\n';
}

async function mainBench(): Promise<void> {
  const only = process.argv.slice(2);
  const sections: string[] = [];
  for (const [name, load] of Object.entries(benches)) {
    if (only.length && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name}...\n`);
    const mod = await load();
    sections.push(await mod.run());
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const head = `# Benchmarks\n\nWritten by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB. Ratios are measured within one run.\n`;
  const body = head + '\n' + sections.join('\n') + '\n';
  if (!only.length) await writeFileAtomic(DOC, body);
  else await writeFileAtomic(DOC, spliceSections(await readFile(DOC, 'utf8'), sections));
  process.stdout.write(body);
}

await mainBench();
