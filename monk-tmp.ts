import { countRules, extractRules, loadDataset, predictLabels, trainMlp, renderRuleSet } from './src/index.js';
const sel = process.argv[2] ?? 'gain';
for (const k of [1, 2, 3]) {
  const data = await loadDataset(`builtin:monk${k}`);
  const t0 = Date.now();
  const { model } = await trainMlp(data, { hidden: [16], epochs: 60, seed: 1, validationSplit: 0 });
  const t1 = Date.now();
  const labels = await model.predictLabels(data.rows);
  const acc = labels.filter((v, i) => v === data.target![i]).length / labels.length;
  for (const selection of sel.split(',')) {
    const c0 = process.cpuUsage();
    const rs = await extractRules('ann-dt', { model, data, seed: 42 }, { selection });
    const c = process.cpuUsage(c0);
    const p = predictLabels(rs, data.rows);
    const fid = p.filter((v, i) => v === labels[i]).length / p.length;
    console.log(`monk${k} (net acc ${acc.toFixed(3)}, train ${(t1 - t0) / 1000}s) ann-dt ${selection}: ${countRules(rs).rules} rules ${countRules(rs).conditions} conds, fid all ${fid.toFixed(4)}, held-out ${rs.fidelity?.value}, cpu ${((c.user + c.system) / 1e6).toFixed(1)}s`);
    if (k === 1 && process.env.SHOW) console.log(renderRuleSet(rs));
  }
  await model.dispose();
}
