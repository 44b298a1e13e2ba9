/**
 * Memory of data loaded for extraction: `loadDataset` holding the rows as row arrays (what
 * `explain` and `score` hold) and column by column (`{ columns: true }`, what `extract` holds),
 * each in a fresh process, on generated CSV files of about 200 MB (8 numeric columns and a
 * category, and the same without the category); then `distill extract --method cart` on the mixed
 * file, start to end (load, hold-out, labelling, tree). The files are written into a temporary
 * folder (the large-files generator), removed at the end.
 *
 * Run alone with `npm run bench -- extract-memory`.
 */
import { rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { countRows, distill, exists, inBenchDir, loadMemory, writeCsv } from './large-files.js';

const MB = 1e6;

/** File size (MB); `DISTILL_BENCH_EXTRACT_MB` overrides. */
const SIZE = Number(process.env.DISTILL_BENCH_EXTRACT_MB ?? 200) * MB;

/** The target: data loaded for extraction at most this many times the file size. */
const TARGET = 3;

export async function run(): Promise<string> {
  return inBenchDir('distill-bench-extract-', async (dir) => {
    const small = join(dir, 'small.csv');
    const model = join(dir, 'model');
    if (!(await exists(join(model, 'model.json')))) {
      await writeCsv(small, 300_000, 7);
      await distill(['train', '--data', small, '--out', model, '--hidden', '8', '--epochs', '5']);
    }
    const files: { kind: string; file: string; rows: number; size: number }[] = [];
    for (const [kind, numeric] of [['8 numbers, 1 category, class', false], ['8 numbers, class', true]] as const) {
      const file = join(dir, `extract-${SIZE / MB}${numeric ? '-numeric' : ''}.csv`);
      const rows = (await exists(file)) && (await stat(file)).size >= SIZE ? await countRows(file) : await writeCsv(file, SIZE, 11, numeric);
      files.push({ kind, file, rows, size: (await stat(file)).size });
    }
    const load = os.loadavg()[0];
    const lines = [
      '## Extraction memory: data held column by column',
      '',
      `\`loadDataset\` in a fresh process (\`bench/extract-memory.ts\`) on generated CSV files of ${(SIZE / MB).toFixed(0)} MB (numbers with 4 decimals, about 63–69 bytes a row): the memory the loaded dataset retains (V8 heap plus external memory, which holds array buffers, after a garbage collection, less the same before loading) against the file size, and the peak RSS of the whole load (parsing included). *Rows* is the row arrays \`explain\` and \`score\` hold; *columns* is \`{ columns: true }\`, what \`extract\` holds (a \`Float64Array\` per numeric column with \`NaN\` for missing, an \`Int32Array\` of codes per categorical column and for the class). The target: at most ${TARGET}× the file size.`,
      '',
      '| file | rows | held as | retained | × file size | peak RSS | CPU |',
      '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
    ];
    const ratios: number[] = [];
    for (const f of files) {
      for (const columns of [false, true]) {
        const m = await loadMemory(f.file, columns);
        const ratio = (m.heapMiB * 2 ** 20) / f.size;
        if (columns) ratios.push(ratio);
        const line = `| ${(f.size / MB).toFixed(0)} MB (${f.kind}) | ${f.rows.toLocaleString('en-US')} | ${columns ? 'columns' : 'rows'} | ${m.heapMiB.toFixed(0)} MiB | ${ratio.toFixed(2)}× | ${m.run.rssMiB.toFixed(0)} MiB | ${m.run.cpu.toFixed(1)} s |`;
        process.stderr.write(`bench: extract-memory: ${line}\n`);
        lines.push(line);
      }
    }
    const mixed = files[0];
    const out = join(dir, 'rules.json');
    const r = await distill(['extract', '--model', model, '--data', mixed.file, '--method', 'cart', '--workers', '1', '--out', out]);
    await rm(out, { force: true });
    lines.push(
      '',
      `\`distill extract --method cart --workers 1\` on the ${(mixed.size / MB).toFixed(0)} MB mixed file, one process from the sources, under \`/usr/bin/time\` (load, held-out split, the model labelling every row and the sample, the tree, fidelity): peak RSS **${r.rssMiB.toFixed(0)} MiB** (${((r.rssMiB * 2 ** 20) / mixed.size).toFixed(2)}× the file), ${r.cpu.toFixed(1)} s of CPU, ${r.wall.toFixed(1)} s wall (load average ${load.toFixed(1)} on ${os.availableParallelism()} cores when the runs started).`,
      '',
      `**The target (data loaded for extraction at most ${TARGET}× the file size) is ${ratios.every((x) => x <= TARGET) ? 'met' : 'not met'}**: held column by column, ${ratios.map((x) => `${x.toFixed(2)}×`).join(' and ')}.`,
    );
    return lines.join('\n') + '\n';
  });
}
