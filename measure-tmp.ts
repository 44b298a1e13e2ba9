import { existsSync } from 'node:fs';
import { countRules, extractRules, loadDataset, loadModel, predictLabels, splitDataset, trainMlp } from './src/index.js';
const methods = (process.argv[2] ?? 'cart').split(',');
const opts = JSON.parse(process.argv[3] ?? '{}');
const ds = await loadDataset('../shared/datasets/wdbc.data', { target: 'Diagnosis', ignore: ['ID'] });
for (const method of methods) {
  const out: string[] = [];
  let fs = 0, rs_ = 0, cs = 0, secs = 0;
  for (const seed of [1, 2, 3]) {
    const [train, test] = splitDataset(ds, 0.8, seed);
    const dir = `/tmp/w11/wdbc-${seed}`;
    if (!existsSync(dir + '/model.json')) {
      const r = await trainMlp(train, { seed });
      await r.save(dir);
      await r.model.dispose();
    }
    const model = await loadModel(dir);
    const t0 = process.cpuUsage();
    const rs = await extractRules(method, { model, data: train, seed, warn: (m) => console.error('warn:', m) }, { holdOut: 0, ...opts });
    const cpu = process.cpuUsage(t0);
    const ml = await model.predictLabels(test.rows);
    const p = predictLabels(rs, test.rows);
    const fid = p.filter((v, i) => v === ml[i]).length / p.length;
    const c = countRules(rs);
    fs += fid; rs_ += c.rules; cs += c.conditions; secs += (cpu.user + cpu.system) / 1e6;
    out.push(`seed ${seed}: fid ${fid.toFixed(4)} rules ${c.rules} conds ${c.conditions}`);
    await model.dispose();
  }
  console.log(`${method} ${JSON.stringify(opts)}: mean fid ${(fs / 3).toFixed(4)} rules ${(rs_ / 3).toFixed(1)} conds ${(cs / 3).toFixed(1)} cpu ${(secs / 3).toFixed(1)}s | ${out.join('; ')}`);
}
