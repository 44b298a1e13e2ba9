import { countRules, extractRules, loadDataset, predictLabels, MONK_CONCEPTS, ruleSetFeatures } from './src/index.js';
import { conceptModel } from './test/global/models.js';
for (const k of [1, 2, 3] as const) {
  const train = await loadDataset(`../shared/datasets/monks-${k}.train`);
  const test = await loadDataset(`../shared/datasets/monks-${k}.test`);
  const model = conceptModel(train, `monk${k}`, (raw) => (MONK_CONCEPTS[k](raw.map(Number)) ? 1 : 0));
  const labels = await model.predictLabels(test.rows);
  for (const [method, o] of [['ann-dt', { selection: 'gain' }], ['ann-dt', { selection: 'sensitivity' }], ['cart', {}]] as const) {
    const c0 = process.cpuUsage();
    const rs = await extractRules(method, { model, data: train, seed: 42 }, { ...o, holdOut: 0, ...(method === 'ann-dt' ? JSON.parse(process.argv[2] ?? '{}') : {}) });
    const c = process.cpuUsage(c0);
    const p = predictLabels(rs, test.rows);
    const fid = p.filter((v, i) => v === labels[i]).length / p.length;
    console.log(`monks-${k}.train ${method} ${JSON.stringify(o)}: ${countRules(rs).rules} rules ${countRules(rs).conditions} conds, fid on monks-${k}.test ${fid.toFixed(4)}, cpu ${((c.user + c.system) / 1e6).toFixed(2)}s, features ${ruleSetFeatures(rs)}`);
  }
}
