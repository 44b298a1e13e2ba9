/**
 * `distill apply`: predictions from a rule set file alone (no model), with the rule that fired.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { applyRuleSet, type Decision } from '../../rules/evaluate.js';
import { renderDecision, ruleSetCaveats } from '../../rules/render.js';
import type { OutputT, RuleSet } from '../../rules/schema.js';
import { emit, note, type GlobalArgs, chooseFormat } from '../context.js';
import { dataOptions, loadDataFromArgs, type DataArgs } from '../data-options.js';

interface ApplyArgs extends GlobalArgs, DataArgs {
  rules: string;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
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
 * Formats decisions, one per row (numbered from 1): the prediction (empty / null when the rule set
 * makes none), the rule that fired (index into the rules, tree path of `y`/`n` steps, or
 * `default`) and that rule as text.
 *
 * @example
 * formatDecisions(rs, applyRuleSet(rs, rows), 'csv'); // "row,prediction,rule,rule_text\n1,setosa,0,IF petal_length <= 2.45 THEN setosa"
 */
export function formatDecisions(rs: RuleSet, decisions: readonly Decision[], format: 'csv' | 'json'): string {
  const texts = new Map<string, string>();
  const text = (d: Decision) => {
    const k = ruleRef(d);
    if (!texts.has(k)) texts.set(k, renderDecision(rs, d));
    return texts.get(k)!;
  };
  if (format === 'json') {
    const records = decisions.map((d, i) => ({ row: i + 1, prediction: outputValue(d.output), rule: d.rule, ruleText: text(d) }));
    return JSON.stringify(records, null, 2);
  }
  const lines = ['row,prediction,rule,rule_text'];
  decisions.forEach((d, i) => {
    const p = outputValue(d.output);
    lines.push([String(i + 1), p === null ? '' : csvCell(String(p)), ruleRef(d), csvCell(text(d))].join(','));
  });
  return lines.join('\n');
}

const command: CommandModule<GlobalArgs, ApplyArgs> = {
  command: 'apply',
  describe: 'Predict with a rule set file alone (no model): the prediction and the rule that fired, per row',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .options({ rules: { type: 'string', demandOption: true, describe: 'Rule set file (surrogate-distill/rules JSON)' } })
      .options(dataOptions)
      .example('$0 apply --rules rules.json --data new.csv', 'CSV: row, prediction, rule index and rule text')
      .example('$0 apply --rules rules.json --data builtin:iris --format json --out applied.json', 'JSON records to a file') as unknown as Argv<ApplyArgs>,
  handler: async (argv: ArgumentsCamelCase<ApplyArgs>) => {
    const format = chooseFormat(argv.format, ['csv', 'json']);
    const [{ alignRuleSetRows }, { loadRuleSet }] = await Promise.all([import('../../rules/alignRuleSetRows.js'), import('../../rules/io.js')]);
    const rs = await loadRuleSet(argv.rules);
    const targetGiven = argv.target !== undefined || argv.targetIndex !== undefined;
    // Columns are matched by name; a target column in the file is simply not used.
    const ds = await loadDataFromArgs(argv, { noTarget: !targetGiven });
    const { ruleSet, rows } = alignRuleSetRows(rs, ds, argv.rules);
    for (const c of ruleSetCaveats(rs)) note(argv, `distill: note: ${argv.rules}: ${c}`);
    await emit(argv, formatDecisions(rs, applyRuleSet(ruleSet, rows), format));
  },
};

export default command;
