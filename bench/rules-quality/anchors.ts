/**
 * The Anchors part of `rules-quality`: on the WDBC and adult networks of the rule table, anchors
 * found with the default sampler (data rows that satisfy the anchor, D(·|A)) beside the
 * independent redraw, with the search's precision and coverage and, as a check the search never
 * saw, the anchor's agreement with the network on the test rows it covers.
 */
import { join } from 'node:path';
import { loadDataset } from '../../src/data/index.js';
import type { Row } from '../../src/data/types.js';
import { explainAnchors } from '../../src/local/anchors/explainAnchors.js';
import { ANCHOR_SAMPLERS } from '../../src/local/anchors/options.js';
import type { TabularModel } from '../../src/model/types.js';
import { evalConjunction, featureIndex } from '../../src/rules/evaluate.js';
import { renderCondition } from '../../src/rules/index.js';
import type { RuleSet } from '../../src/rules/schema.js';
import { ADULT, SHARED, WDBC, timed, trainedNetwork, trainingFor } from './common.js';

/** How many WDBC test rows are explained, by sampler (the independent redraw asks the network for every draw: ~10 s a row). */
const WDBC_ROWS: Record<(typeof ANCHOR_SAMPLERS)[number], number> = { data: 20, independent: 5 };
/** The adult row (0-based, of the whole file) explained. */
const ADULT_ROW = 9;

interface AnchorFigures {
  text: string;
  conditions: number;
  precision: number;
  coverage: number;
  confident: boolean;
  /** Agreement with the network on the test rows the anchor covers, and how many it covers. */
  testPrecision: number | null;
  testCovered: number;
  seconds: number;
}

async function figures(rs: RuleSet, seconds: number, model: TabularModel, testRows: Row[], testLabels: Float64Array): Promise<AnchorFigures> {
  const rule = rs.surrogate.kind === 'list' ? rs.surrogate.rules[0] : undefined;
  if (!rule) throw new Error('anchors returned no rule');
  const index = featureIndex(rs.schema);
  const classes = model.classes ?? (model.schema.target.kind === 'class' ? model.schema.target.classes : []);
  const want = classes.indexOf((rule.output as { class: string }).class);
  let covered = 0;
  let agree = 0;
  testRows.forEach((r, i) => {
    if (!evalConjunction(rule.conditions, r, index)) return;
    covered++;
    if (testLabels[i] === want) agree++;
  });
  return {
    text: rule.conditions.map((c) => renderCondition(c)).join(' AND ') || 'TRUE',
    conditions: rule.conditions.length,
    precision: rule.stats?.precision ?? NaN,
    coverage: rule.stats?.coverage ?? NaN,
    confident: rs.provenance.options.confident !== false,
    testPrecision: covered ? agree / covered : null,
    testCovered: covered,
    seconds,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const f3 = (x: number | null): string => (x === null || Number.isNaN(x) ? '—' : x.toFixed(3));

/** The Markdown section; `only` limits it to the data sets named (as the rule table's --data). */
export async function anchorsSection(only: string[] | null): Promise<string> {
  const lines = [
    '### Anchors from the data',
    '',
    'Anchors (threshold 0.95, beam 2, seed 1) on the networks above, explaining rows with the 80 % training part as the data. ' +
      '`data` is the default sampler (data rows that satisfy the anchor); `independent` redraws the anchored columns independently. ' +
      'Precision and coverage are the search\'s (coverage on the training rows); "test precision" is the anchor\'s agreement with the network on the test rows it covers.',
    '',
  ];
  if (!only || only.includes('wdbc')) {
    process.stderr.write(`bench rules-quality: anchors on WDBC test rows...\n`);
    const net = await trainedNetwork(WDBC, trainingFor(WDBC));
    const labels = await net.model.predictLabels(net.test.rows);
    lines.push(
      'WDBC, the first test rows (medians; "failed" counts searches that reached no anchor):',
      '',
      '| sampler | rows | conditions | precision | coverage | test precision | one-condition anchors | failed | seconds per row |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    const examples: string[] = [];
    for (const sampler of ANCHOR_SAMPLERS) {
      const all: AnchorFigures[] = [];
      for (const row of net.test.rows.slice(0, WDBC_ROWS[sampler])) {
        const { value: rs, seconds } = await timed(() => explainAnchors(net.model, net.train, row, { seed: 1, sampler }));
        all.push(await figures(rs, seconds, net.model, net.test.rows, labels));
      }
      const tp = all.map((a) => a.testPrecision).filter((x): x is number => x !== null);
      lines.push(
        `| ${sampler} | ${all.length} | ${median(all.map((a) => a.conditions))} | ${f3(median(all.map((a) => a.precision)))} | ${f3(median(all.map((a) => a.coverage)))} | ${f3(tp.length ? median(tp) : null)} | ` +
          `${all.filter((a) => a.conditions === 1).length} / ${all.length} | ${all.filter((a) => !a.confident).length} | ${median(all.map((a) => a.seconds)).toFixed(2)} |`,
      );
      const widest = [...all].sort((a, b) => b.coverage - a.coverage)[0];
      examples.push(`- ${sampler}, highest coverage: \`${widest.text}\` (precision ${f3(widest.precision)}, coverage ${f3(widest.coverage)}, test precision ${f3(widest.testPrecision)} on ${widest.testCovered} rows)`);
    }
    lines.push('', ...examples, '');
    await net.model.dispose();
  }
  if (!only || only.includes('adult')) {
    process.stderr.write(`bench rules-quality: anchors on adult row ${ADULT_ROW}...\n`);
    const net = await trainedNetwork(ADULT, trainingFor(ADULT));
    const file = await loadDataset(join(SHARED, ADULT.file), ADULT.load);
    const labels = await net.model.predictLabels(net.test.rows);
    lines.push(`adult, row ${ADULT_ROW} of the file:`, '', '| sampler | anchor | precision | coverage | test precision (rows) | seconds |', '| --- | --- | ---: | ---: | ---: | ---: |');
    for (const sampler of ANCHOR_SAMPLERS) {
      const { value: rs, seconds } = await timed(() => explainAnchors(net.model, net.train, file.rows[ADULT_ROW], { seed: 1, sampler }));
      const a = await figures(rs, seconds, net.model, net.test.rows, labels);
      lines.push(`| ${sampler} | \`${a.text}\`${a.confident ? '' : ' (failed: no anchor reached 0.95)'} | ${f3(a.precision)} | ${f3(a.coverage)} | ${f3(a.testPrecision)} (${a.testCovered}) | ${a.seconds.toFixed(2)} |`);
    }
    lines.push('');
    await net.model.dispose();
  }
  return lines.join('\n');
}
