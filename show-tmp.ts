import { extractRules, loadDataset, loadModel, renderRuleSet, splitDataset, countRules } from './src/index.js';
const [method, optsJson, seedS] = process.argv.slice(2);
const ds = await loadDataset('../shared/datasets/wdbc.data', { target: 'Diagnosis', ignore: ['ID'] });
const seed = Number(seedS ?? 1);
const [train] = splitDataset(ds, 0.8, seed);
const model = await loadModel(`/tmp/w11/wdbc-${seed}`);
const rs = await extractRules(method, { model, data: train, seed }, { holdOut: 0, ...JSON.parse(optsJson ?? '{}') });
console.log(renderRuleSet(rs), countRules(rs));
