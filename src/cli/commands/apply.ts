/**
 * `distill apply`: predictions from a rule set file alone (no model), with the rule that fired.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import { applyRuleSet, type Decision } from '../../rules/evaluate.js';
import { renderDecision, ruleSetCaveats } from '../../rules/render.js';
import type { OutputT, RuleSet } from '../../rules/schema.js';
import { chooseFormat, jsonArrayWriter, note, openOutput, type GlobalArgs, type Output } from '../context.js';
import { csvCell } from '../csv.js';
import { dataOptions, scanDataFromArgs, type DataArgs } from '../data-options.js';

interface ApplyArgs extends GlobalArgs, DataArgs {
  rules: string;
}

/** The rule reference of a decision: the rule index, the tree path (`root` for a lone leaf), or `default`. */
function ruleRef(d: Decision): string {
  if (d.rule === null) return 'default';
  if (typeof d.rule === 'number') return String(d.rule);
  return d.rule === '' ? 'root' : d.rule;
}

function outputValue(o: OutputT | null): string | number | null {
  if (o === null) return null;
  return 'class' in o ? o.class : o.value;
}

/**
 * Writes decisions as they come, one per row (numbered from 1): the prediction (empty / null when
 * the rule set makes none), the rule that fired (index into the rules, tree path of `y`/`n` steps,
 * or `default`) and that rule as text. CSV cells are made safe for spreadsheets (see `csvCell`);
 * JSON is laid out as `JSON.stringify(records, null, 2)` would.
 *
 * @example
 * const w = decisionWriter(rs, 'csv', out);
 * await w.write(applyRuleSet(rs, rows)); // row,prediction,rule,rule_text / 1,setosa,0,IF petal_length <= 2.45 THEN setosa
 * await w.end();
 */
export function decisionWriter(rs: RuleSet, format: 'csv' | 'json', out: Pick<Output, 'write'>): { write(decisions: readonly Decision[]): Promise<void>; end(): Promise<void> } {
  const texts = new Map<string, string>();
  const text = (d: Decision) => {
    const k = ruleRef(d);
    if (!texts.has(k)) texts.set(k, renderDecision(rs, d, { stats: 'none' }));
    return texts.get(k)!;
  };
  let row = 0;
  const json = format === 'json' ? jsonArrayWriter(out) : null;
  let started = false;
  return {
    async write(decisions) {
      if (json) {
        for (const d of decisions) await json.item({ row: ++row, prediction: outputValue(d.output), rule: d.rule, ruleText: text(d) });
        return;
      }
      const lines: string[] = started ? [] : ['row,prediction,rule,rule_text'];
      started = true;
      for (const d of decisions) lines.push([String(++row), csvCell(outputValue(d.output)), ruleRef(d), csvCell(text(d))].join(','));
      await out.write(lines.join('\n') + '\n');
    },
    async end() {
      if (json) await json.end();
      else if (!started) await out.write('row,prediction,rule,rule_text\n');
    },
  };
}

const command: CommandModule<GlobalArgs, ApplyArgs> = {
  ...COMMAND_SUMMARIES.apply,
  builder: (y: Argv<GlobalArgs>) =>
    y
      .options({ rules: { type: 'string', demandOption: true, describe: 'Rule set file (surrogate-distill/rules JSON)' } })
      .options(dataOptions)
      .example('$0 apply --rules rules.json --data new.csv', 'CSV: row, prediction, rule index and rule text')
      .example('$0 apply --rules rules.json --data builtin:iris --format json --out applied.json', 'JSON records to a file') as unknown as Argv<ApplyArgs>,
  handler: async (argv: ArgumentsCamelCase<ApplyArgs>) => {
    const format = chooseFormat(argv.format, ['csv', 'json']);
    const [{ ruleSetAligner }, { alignmentKnownSafe }, { loadRuleSet }] = await Promise.all([
      import('../../rules/alignRuleSetRows.js'),
      import('../../data/align.js'),
      import('../../rules/read.js'),
    ]);
    const rs = await loadRuleSet(argv.rules);
    const targetGiven = argv.target !== undefined || argv.targetIndex !== undefined;
    // Columns are matched by name; a target column in the file is simply not used. Rows stream
    // through in batches: memory stays bounded whatever the size of the data.
    const scan = await scanDataFromArgs(argv, { noTarget: !targetGiven });
    const { ruleSet, align } = ruleSetAligner(rs, scan.plan.schema, scan.source, argv.rules);
    for (const c of ruleSetCaveats(rs)) note(argv, `distill: note: ${argv.rules}: ${c}`);
    // A late alignment error would cut the output short: check every batch first when it can happen.
    if (!alignmentKnownSafe(scan.plan, ruleSet.schema.features)) for await (const b of scan.batches()) align(b.rows, b.start);
    const out = await openOutput(argv);
    try {
      const w = decisionWriter(rs, format, out);
      for await (const b of scan.batches()) await w.write(applyRuleSet(ruleSet, align(b.rows, b.start)));
      await w.end();
      await out.close();
    } catch (e) {
      await out.abort();
      throw e;
    }
  },
};

export default command;
