import { extractRules, loadDataset, MONK_CONCEPTS, renderRuleSet } from './src/index.js';
import { conceptModel } from './test/global/models.js';
const train = await loadDataset(`../shared/datasets/monks-1.train`);
const model = conceptModel(train, `monk1`, (raw) => (MONK_CONCEPTS[1](raw.map(Number)) ? 1 : 0));
const rs = await extractRules('ann-dt', { model, data: train, seed: 42 }, { holdOut: 0, ...JSON.parse(process.argv[2] ?? '{}') });
console.log(renderRuleSet(rs, { stats: 'data' }));
