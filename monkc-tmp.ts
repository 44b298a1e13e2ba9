import { countRules, extractRules, predictLabels } from './src/index.js';
import { monkModel } from './test/global/models.js';
const opts = JSON.parse(process.argv[2] ?? '{}');
for (const k of [1, 2, 3] as const) {
  const { data, model } = await monkModel(k);
  const labels = await model.predictLabels(data.rows);
  for (const [method, o] of [['ann-dt', { selection: 'gain' }], ['ann-dt', { selection: 'sensitivity' }], ['cart', {}]] as const) {
    const c0 = process.cpuUsage();
    const rs = await extractRules(method, { model, data, seed: 42 }, { ...o, ...(method === 'ann-dt' ? opts : {}) });
    const c = process.cpuUsage(c0);
    const p = predictLabels(rs, data.rows);
    const fid = p.filter((v, i) => v === labels[i]).length / p.length;
    console.log(`monk${k} concept ${method} ${JSON.stringify(o)}: ${countRules(rs).rules} rules ${countRules(rs).conditions} conds, fid all ${fid.toFixed(4)}, held-out ${rs.fidelity?.value.toFixed(4)}, cpu ${((c.user + c.system) / 1e6).toFixed(2)}s, samples ${rs.provenance.samples}`);
  }
}
