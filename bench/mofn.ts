/**
 * `npm run bench -- mofn`: the bounded M-of-N rules (and Tsukimoto's) against CART on networks
 * trained as `distill train --activation sigmoid` trains them (the CLI's defaults otherwise: 32-16
 * units, seed 42) on MONK-1, mushroom and MONK-3 (../shared/datasets); the held-out "at least 2 of
 * x0..x4 above 0.5" network read as one M-of-N test; and default training on adult (time and
 * accuracy on a 20 % test split).
 */
import { existsSync } from 'node:fs';
import { alignRows, loadDataset, splitDataset, targetValues, type LoadOptions } from '../src/data/index.js';
import { extractRules } from '../src/global/registry.js';
import { trainMlp } from '../src/model/index.js';
import { countRules } from '../src/rules/countRules.js';
import { renderRuleSet } from '../src/rules/render.js';
import type { ConditionT } from '../src/rules/schema.js';

const SHARED = '../shared/datasets';

/** CPU seconds (user + system) of `f`, with its result. */
async function cpu<T>(f: () => Promise<T>): Promise<{ value: T; cpu: number; wall: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
}

const ci = (c: [number, number] | null | undefined) => (c ? ` (${c[0].toFixed(3)}–${c[1].toFixed(3)})` : '');

export async function run(): Promise<string> {
  const lines = [
    '## Bounded M-of-N and Tsukimoto against CART',
    '',
    'Networks trained with `distill train`\'s defaults plus `--activation sigmoid` (32-16 sigmoid units, seed 42) on the training files; ' +
      'extraction seed 42, default options (mofn and tsukimoto: at most 10 rules, 12 conditions per rule, 40 in all). ' +
      'Fidelity: agreement with the network on the held-out 20 % of the file (95 % interval); CPU seconds of the extraction.',
    '',
    '| data | method | held-out fidelity | rules | conditions | CPU s | note |',
    '| --- | --- | --- | ---: | ---: | ---: | --- |',
  ];
  const sets: [string, string, LoadOptions][] = [
    ['monks-1', 'monks-1.train', {}],
    ['mushroom', 'mushroom.csv', { targetIndex: 0 }],
    ['monks-3', 'monks-3.train', {}],
  ];
  if (!existsSync(SHARED)) lines.push('', `_(skipped: ${SHARED} is absent)_`);
  for (const [name, file, lo] of existsSync(SHARED) ? sets : []) {
    const data = await loadDataset(`${SHARED}/${file}`, lo);
    const { model } = await trainMlp(data, { activation: 'sigmoid', seed: 42 });
    for (const method of ['mofn', 'tsukimoto', 'cart']) {
      const r = await cpu(() => extractRules(method, { model, data, seed: 42 }));
      const rs = r.value;
      const k = countRules(rs);
      const note = rs.simplification?.note ? rs.simplification.note.split(':')[0] : '';
      process.stderr.write(`bench mofn: ${name} ${method} ${k.rules} rules ${k.conditions} conditions ${rs.fidelity?.value.toFixed(3)}\n`);
      lines.push(`| ${name} | ${method} | ${rs.fidelity?.value.toFixed(3)}${ci(rs.fidelity?.ci95)} | ${k.rules} | ${k.conditions} | ${r.cpu.toFixed(1)} | ${note} |`);
    }
    await model.dispose();
  }

  // the held-out "at least 2 of 5" network over numeric inputs
  const data = await loadDataset('builtin:mofn?n=5000&seed=3');
  const { model } = await trainMlp(data, { activation: 'sigmoid', seed: 42 });
  const mofn = await cpu(() => extractRules('mofn', { model, data, seed: 42 }));
  const cart = await extractRules('cart', { model, data, seed: 42 });
  const text = renderRuleSet(mofn.value).split('\n').filter((l) => /^(IF|ELSE)/.test(l)).map((l) => l.replace(/\s+\[.*\]$/, ''));
  const tests = mofn.value.surrogate.kind === 'list' ? mofn.value.surrogate.rules.flatMap((r) => r.conditions) : [];
  const thresholds = tests.flatMap((c: ConditionT) => (c.type === 'mofn' ? c.conditions : [c])).flatMap((c) => ('threshold' in c ? [c.threshold] : []));
  const off = thresholds.length ? Math.max(...thresholds.map((t) => Math.abs(t - 0.5))) : NaN;
  lines.push(
    '',
    '`builtin:mofn?n=5000&seed=3` ("class 1 iff at least 2 of x0..x4 exceed 0.5", x5..x7 noise), the same training: mofn reads',
    '',
    '```',
    ...text,
    '```',
    '',
    `held-out fidelity ${mofn.value.fidelity?.value.toFixed(3)}${ci(mofn.value.fidelity?.ci95)}, largest threshold error ${off.toFixed(3)}, ` +
      `${mofn.cpu.toFixed(1)} CPU s; cart: ${countRules(cart).rules} rules, ${countRules(cart).conditions} conditions, fidelity ${cart.fidelity?.value.toFixed(3)}.`,
  );
  await model.dispose();

  // default training on adult
  if (existsSync(`${SHARED}/adult.csv`)) {
    const adult = await loadDataset(`${SHARED}/adult.csv`);
    const [train, test] = splitDataset(adult, 0.8, 1);
    const t = await cpu(() => trainMlp(train, {}));
    const pred = await t.value.model.predictLabels(alignRows(test, t.value.model.schema.features));
    const y = targetValues(test);
    let ok = 0;
    for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
    const m = t.value.metrics;
    lines.push(
      '',
      `Default training (\`distill train\`: 32-16 ReLU, batch 32, Adam 0.01, early stopping with patience 30 on a 20 % validation split) on 80 % of adult ` +
        `(${train.rows.length.toLocaleString('en')} rows, ${test.rows.length.toLocaleString('en')} test rows): ` +
        `${t.cpu.toFixed(1)} CPU s (${t.wall.toFixed(1)} s wall), ${m.epochs} epochs (weights of epoch ${m.bestEpoch}), ` +
        `test accuracy ${(ok / y.length).toFixed(4)}, validation accuracy ${m.validation?.accuracy?.toFixed(4)}.`,
    );
    await t.value.model.dispose();
  }
  return lines.join('\n') + '\n';
}
