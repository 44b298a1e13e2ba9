/**
 * `npm run bench`: runs every benchmark in one process and writes the results to
 * docs/benchmarks.md. Each benchmark module exports `run(): Promise<string>` returning a Markdown
 * section. Run one with `npm run bench -- NAME`.
 */
import { writeFileAtomic } from '../src/util/io.js';
import os from 'node:os';

const benches: Record<string, () => Promise<{ run(): Promise<string> }>> = {
  rules: () => import('./rules.js'),
  data: () => import('./data.js'),
  tree: () => import('./tree.js'),
  extract: () => import('./extract.js'),
  predict: () => import('./predict.js'),
  lime: () => import('./lime.js'),
  gradients: () => import('./gradients.js'),
  decompositional: () => import('./decompositional.js'),
  scale: () => import('./scale.js'),
};

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
  if (!only.length) await writeFileAtomic('docs/benchmarks.md', body);
  process.stdout.write(body);
}

await mainBench();
