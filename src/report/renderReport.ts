/**
 * The HTML report: one self-contained page (inline CSS, inline SVG charts, no script, no external
 * resource; a Content-Security-Policy forbids any load) that shows what a surrogate says about a
 * model and how far it can be trusted.
 */
import { countRules } from '../rules/countRules.js';
import { ruleSetCaveats } from '../rules/render.js';
import { COLORS, fidelityChartSvg, importanceChartSvg, scopeSvgIds, stripChartSvg, treeDiagramSvg, VALUE_COLORS, weightChartSvg } from './charts.js';
import { escapeHtml as h } from './escapeHtml.js';
import type { ReportExplanation, ReportFaithfulness, ReportImportance, ReportInput, ReportRuleSet, ReportScore } from './types.js';

/**
 * Renders a report as one HTML document. Pure over its input (the same input gives the same
 * text); asynchronous only because vega renders its charts asynchronously.
 * Everything that comes from the data is escaped.
 *
 * @example
 * const html = await renderReport({ tool: 'surrogate-distill@0.1.0', createdAt: '2026-01-01T00:00:00.000Z', seed: 42,
 *   model, data, ruleSets: [], explanations: [], stability: [] });
 */
export async function renderReport(input: ReportInput): Promise<string> {
  const title = input.title ?? 'Surrogate report';
  let charts = 0;
  const chart = (svg: string) => scopeSvgIds(svg, `chart${charts++}-`);
  const sections = [
    await summarySection(input, chart),
    failuresSection(input),
    modelDataSection(input),
    await ruleSetsSection(input, chart),
    await localSection(input, chart),
    stabilitySection(input),
  ].filter(Boolean);
  const toc = [
    ['summary', 'Fidelity'],
    input.failures?.length || input.skipped?.length ? ['failures', input.failures?.length ? 'Failed methods' : 'Methods left out'] : null,
    ['model-data', 'Model and data'],
    input.ruleSets.length ? ['rules', 'Global rules'] : null,
    input.explanations.length ? ['local', 'Local explanations'] : null,
    input.stability.length ? ['stability', 'Stability'] : null,
  ].filter((x): x is string[] => x !== null);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${h(input.tool)}">
<title>${h(title)} — ${h(input.model.identity.source)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${h(title)}</h1>
<p class="sub">Model <code>${h(input.model.identity.source)}</code> on <code>${h(input.data.source)}</code> · ${h(input.createdAt)} · ${h(input.tool)}${input.seed !== null ? ` · seed ${h(input.seed)}` : ''}</p>
<nav>${toc.map(([id, name]) => `<a href="#${id}">${h(name)}</a>`).join('')}</nav>
</header>
<main>
${sections.join('\n')}
</main>
<footer>
<p><strong>Reading this report.</strong> <em>Fidelity</em> is how often a surrogate gives the same answer as the model on rows held out from its extraction (R² for regression): it says how far the rules can stand in for the model, not how accurate either is. <em>Completeness</em> is the share of rows some rule covers without falling back on the default. Local explanations describe the model near one row only: LIME weights and attributions push towards the explained output (green) or away from it (red). <em>Faithfulness</em> checks an attribution against the model at that row: Sensitivity-n correlates the attributions of random groups of n columns with the output change when those columns are set to the baseline (1 is best; near 0, the attributions say little), and the deletion area is the output left as the strongest columns are removed first, beside the same for a random order (lower than random is better). An anchor is a rule that, where it holds, keeps the model's answer with the given precision.</p>
</footer>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// Sections

/** Gives a chart's SVG ids unique to the page. */
type ScopeIds = (svg: string) => string;

async function summarySection(input: ReportInput, scope: ScopeIds): Promise<string> {
  if (!input.ruleSets.length) {
    return `<section id="summary"><h2>Fidelity</h2><p class="muted">No global rule set in this report.</p></section>`;
  }
  const svg = await fidelityChartSvg(input.ruleSets);
  const chart = svg && scope(svg);
  const places = [...new Set(input.ruleSets.map((r) => scoreOf(r)).map((s) => (s ? measuredOn(s) : '')))];
  const sameData = places.length === 1 && places[0] !== '';
  const head = ['Rule set', 'Method', 'Kind', 'Fidelity', '95% interval', 'Completeness', 'Rules', 'Conditions', 'Accuracy', 'Macro-F1'];
  if (!sameData) head.push('Measured on');
  const body = input.ruleSets.map((r) => {
    const s = scoreOf(r);
    const f = s?.fidelity;
    const cells = [
      td(h(r.name), 'name'),
      td(h(r.ruleSet.provenance.method)),
      td(h(kindName(r))),
      td(f ? `${score(f.value)}${f.metric === 'r2' ? ' <span class="muted">R²</span>' : ''}` : '—', 'num strong'),
      td(f?.ci95 ? `${score(f.ci95[0])} – ${score(f.ci95[1])}` : '—', 'num'),
      td(s?.completeness != null ? score(s.completeness) : '—', 'num'),
      td(s ? String(s.complexity.rules) : '—', 'num'),
      td(s ? String(s.complexity.conditions) : '—', 'num'),
      td(s?.accuracy != null ? score(s.accuracy) : '—', 'num'),
      td(s?.macroF1 != null ? score(s.macroF1) : '—', 'num'),
    ];
    if (!sameData) cells.push(td(s ? h(measuredOn(s)) : '—'));
    return tr(cells);
  });
  return `<section id="summary">
<h2>Fidelity</h2>
<p class="lead">How closely each global surrogate reproduces the model's answers, with its size.</p>
${table(head, body, 'scores')}
${sameData ? `<p class="note">Measured on ${h(places[0])}.</p>` : ''}
${chart ? `<figure class="chart">${chart}<figcaption>Fidelity to the model with its 95% bootstrap interval.</figcaption></figure>` : ''}
</section>`;
}

/** The methods that failed (with their error) and those left out as not applicable (with the reason). */
function failuresSection(input: ReportInput): string {
  const failed = input.failures ?? [];
  const skipped = input.skipped ?? [];
  if (!failed.length && !skipped.length) return '';
  const rows = [
    ...failed.map((f) => tr([td(h(f.step), 'name'), td('<span class="neg">failed</span>'), td(h(f.message))])),
    ...skipped.map((f) => tr([td(h(f.step), 'name'), td('<span class="muted">does not apply</span>'), td(h(f.reason))])),
  ];
  return `<section id="failures">
<h2>${failed.length ? 'Failed methods' : 'Methods left out'}</h2>
<p class="lead">${failed.length ? `${failed.length} method${failed.length > 1 ? 's' : ''} failed; the rest of the report was made without ${failed.length > 1 ? 'them' : 'it'}.` : 'Methods that do not apply to this model.'}</p>
${table(['Step', 'Outcome', 'Why'], rows, 'failures')}
</section>`;
}

function modelDataSection(input: ReportInput): string {
  const m = input.model;
  const modelFacts: [string, string][] = [
    ['Type', h(m.identity.type)],
    ['Source', `<code>${h(m.identity.source)}</code>`],
    ['Hash', `<code class="hash">${h(m.identity.hash)}</code>`],
    ['Backend', h(m.backend)],
    ['Task', h(m.task)],
  ];
  if (m.classes?.length) modelFacts.push(['Classes', m.classes.map((c, i) => classChip(c, i)).join(' ')]);
  for (const [k, v] of Object.entries(m.facts ?? {})) modelFacts.push([h(k), h(typeof v === 'number' ? fmt(v) : v)]);

  const d = input.data;
  const dataFacts: [string, string][] = [
    ['Source', `<code>${h(d.source)}</code>`],
    ...(d.description ? ([['Rows used', h(d.description)]] as [string, string][]) : []),
    ['Rows', String(d.rows)],
    ['Features', `${d.features.length} (${d.features.filter((f) => f.type === 'numeric').length} numeric, ${d.features.filter((f) => f.type === 'categorical').length} categorical)`],
  ];
  if (d.target) {
    dataFacts.push(['Target', `${h(d.target.name)} <span class="muted">(${d.target.kind === 'class' ? 'classes' : 'numeric'})</span>`]);
    if (d.target.counts) {
      const classes = m.classes ?? Object.keys(d.target.counts);
      dataFacts.push([
        'Class counts',
        Object.entries(d.target.counts)
          .map(([c, n]) => `${classChip(c, classes.indexOf(c))} ${n}`)
          .join(' '),
      ]);
    }
  }
  const featureRows = d.features.map((f) =>
    tr([
      td(h(f.name), 'name'),
      td(h(f.type)),
      td(
        f.type === 'numeric'
          ? f.min === null
            ? '—'
            : `${fmtValue(f.min)} – ${fmtValue(f.max!)} <span class="muted">(mean ${fmtValue(f.mean!)})</span>`
          : `${f.categories.length} categories: ${f.categories.slice(0, 8).map((c) => `<code>${h(c)}</code>`).join(', ')}${f.categories.length > 8 ? ', …' : ''}`,
      ),
      td(String(f.missing), 'num'),
    ]),
  );
  return `<section id="model-data">
<h2>Model and data</h2>
<div class="grid">
<div class="card"><h3>Model</h3>${dl(modelFacts)}</div>
<div class="card"><h3>Data</h3>${dl(dataFacts)}</div>
</div>
${table(['Feature', 'Type', 'Values', 'Missing'], featureRows, 'features')}
</section>`;
}

async function ruleSetsSection(input: ReportInput, scope: ScopeIds): Promise<string> {
  if (!input.ruleSets.length) return '';
  const classes = input.model.classes ?? [];
  const parts: string[] = [];
  for (const r of input.ruleSets) {
    const p = r.ruleSet.provenance;
    const s = scoreOf(r);
    const facts: [string, string][] = [
      ['Method', h(p.method)],
      ['Options', Object.keys(p.options).length ? Object.entries(p.options).map(([k, v]) => `<code class="opt">${h(k)}=${h(typeof v === 'string' ? v : JSON.stringify(v))}</code>`).join(' ') : '—'],
      ['Seed', p.seed === null ? '—' : String(p.seed)],
      ['Sample', p.samples === null ? '—' : `${p.samples} model-labelled rows`],
      ['Data', p.data === null ? '—' : `<code>${h(p.data)}</code>`],
    ];
    if (s) {
      facts.push(['Fidelity', `<strong>${score(s.fidelity.value)}</strong>${s.fidelity.ci95 ? ` [${score(s.fidelity.ci95[0])}, ${score(s.fidelity.ci95[1])}]` : ''} on ${h(s.data)}`]);
      if (s.completeness != null) facts.push(['Completeness', score(s.completeness)]);
      if (s.overlap != null && r.ruleSet.surrogate.kind !== 'tree') facts.push(['Overlap', score(s.overlap)]);
      const c = s.complexity;
      facts.push(['Size', `${c.rules} rules, ${c.conditions} conditions${c.maxConditions !== undefined ? `, at most ${c.maxConditions} per rule` : ''}${c.features !== undefined ? `, ${c.features} features used` : ''}`]);
    }
    if (r.ruleSet.simplification) {
      const { before, after } = r.ruleSet.simplification;
      facts.push(['Simplified', `from ${before.rules} rules / ${before.conditions} conditions to ${after.rules} / ${after.conditions}`]);
    }
    const diagram = r.diagram ? readableWidth(scope(await treeDiagramSvg(r.diagram, classes))) : null;
    parts.push(`<article class="ruleset" id="rules-${slug(r.name)}">
<h3>${h(r.name)} <span class="badge">${h(kindName(r))}</span></h3>
${dl(facts, 'compact')}
${ruleSetCaveats(r.ruleSet).map((c) => `<p class="warn"><strong>Note:</strong> ${h(c)}.</p>`).join('\n')}
${diagram ? `<figure class="tree">${diagram}<figcaption>The tree drawn left to right: at each node, rows that pass the test follow <span class="pos">yes</span>, the others (missing values included) <span class="neg">no</span>. Leaves show the class, the rows of the sample they cover and the share on which the model agrees.</figcaption></figure>` : ''}
${s?.confusion ? confusionTable(s.confusion, classes) : ''}
<details${s && s.complexity.rules < RULES_OPEN_BELOW ? ' open' : !s && !diagram ? ' open' : ''}><summary>Rules as text</summary><pre class="rules">${h(r.text)}</pre></details>
</article>`);
  }
  return `<section id="rules">
<h2>Global rules</h2>
<p class="lead">Surrogates that describe the model everywhere, readable and applicable without it.</p>
${parts.join('\n')}
</section>`;
}

/** Rule sets with fewer rules than this show their text open. */
const RULES_OPEN_BELOW = 30;

/** The rule set against the network, class by class: rows per (network class, rule set class). */
function confusionTable(c: NonNullable<ReportScore['confusion']>, modelClasses: readonly string[]): string {
  const open = c.noPrediction.some((n) => n > 0);
  const head = `<tr><th rowspan="2">Network says</th><th colspan="${c.classes.length + (open ? 1 : 0)}">Rule set says</th><th rowspan="2">Agreement</th></tr><tr>${c.classes.map((k) => `<th>${h(k)}</th>`).join('')}${open ? '<th>no rule</th>' : ''}</tr>`;
  const body = c.classes.map((k, m) => {
    const total = c.matrix[m].reduce((a, b) => a + b, 0) + c.noPrediction[m];
    const cells = c.matrix[m].map((n, s) => td(String(n), `num${s === m ? ' strong diag' : n > 0 ? ' off' : ''}`));
    if (open) cells.push(td(String(c.noPrediction[m]), 'num'));
    return tr([td(classChip(k, modelClasses.indexOf(k)), 'name'), ...cells, td(total ? score(c.matrix[m][m] / total) : '—', 'num')]);
  });
  return `<div class="table-wrap"><table class="confusion"><caption>Per class: the rule set against the network on these rows</caption><thead>${head}</thead><tbody>${body.join('')}</tbody></table></div>`;
}

async function localSection(input: ReportInput, scope: ScopeIds): Promise<string> {
  if (!input.explanations.length) return '';
  const rows = [...new Set(input.explanations.map((e) => e.row))].sort((a, b) => a - b);
  const methods = [...new Set(input.explanations.map((e) => e.method))];
  const parts: string[] = [];
  for (const row of rows) {
    const values = input.rows?.[row];
    const blocks: string[] = [];
    for (const e of input.explanations.filter((x) => x.row === row)) blocks.push(await explanationBlock(e, scope));
    const info = input.rowInfo?.[row];
    const facts = info
      ? [
          info.id !== `row ${row}` ? h(info.id) : '',
          info.truth !== undefined ? `true label <strong>${info.truth === null ? 'missing' : h(typeof info.truth === 'number' ? fmtValue(info.truth) : info.truth)}</strong>` : '',
          info.reason ? h(info.reason) : '',
        ].filter(Boolean)
      : [];
    parts.push(`<article class="local" id="row-${row}">
<h3>Row ${row}</h3>
${facts.length ? `<p class="facts rowinfo">${facts.join(' · ')}</p>` : ''}
<div class="local-grid">
${values ? `<div>${table(['Feature', 'Value'], values.map((v) => tr([td(h(v.feature), 'name'), td(v.value === null ? '<span class="muted">missing</span>' : h(typeof v.value === 'number' ? fmtValue(v.value) : v.value), typeof v.value === 'number' ? 'num' : '')])), 'values')}</div>` : ''}
<div>${blocks.join('\n')}</div>
</div>
</article>`);
  }
  const overview: string[] = [];
  for (const imp of input.importance ?? []) overview.push(await importanceBlock(imp, scope));
  return `<section id="local">
<h2>Local explanations</h2>
<p class="lead">Why the model answers as it does for single rows (${h(methods.join(', '))}), each with how faithful it is to the model at that row.</p>
${overview.join('\n')}
${parts.join('\n')}
</section>`;
}

/** Columns shown in the charts across rows, strongest first. */
const IMPORTANCE_COLUMNS = 12;

/** One attribution method across the explained rows: mean |attribution| with intervals, and a strip plot. */
async function importanceBlock(imp: ReportImportance, scope: ScopeIds): Promise<string> {
  const shown = imp.features.slice(0, IMPORTANCE_COLUMNS);
  const columns = shown.map((f) => f.feature);
  const bars = scope(await importanceChartSvg(shown.map((f) => ({ label: f.feature, value: f.meanAbs, ci95: f.ci95 })), 'mean |attribution|'));
  const strip = scope(await stripChartSvg(columns, imp.points, 'attribution'));
  const more = imp.features.length > shown.length ? ` (${imp.features.length - shown.length} weaker columns not shown)` : '';
  return `<article class="importance" id="importance-${slug(imp.method)}">
<h3>${h(imp.method)} across ${h(imp.rows)} rows</h3>
<p class="facts">explains ${h(imp.explains)}${h(more)}</p>
<div class="importance-grid">
<figure class="chart">${bars}<figcaption>Mean |attribution| per column, with its 95% bootstrap interval over the rows</figcaption></figure>
<figure class="chart">${strip}<figcaption>Each row's attribution; colour: the row's value of the column, <span style="color:${VALUE_COLORS.low};font-weight:600">low</span> to <span style="color:${VALUE_COLORS.high};font-weight:600">high</span> (grey: categorical or missing)</figcaption></figure>
</div>
</article>`;
}

/** One explanation, shaped by what it holds: a rule, weighted conditions, or attributions. */
async function explanationBlock(e: ReportExplanation, scope: ScopeIds): Promise<string> {
  const body = e.counterfactual !== undefined ? counterfactualBlock(e) : e.rule ? ruleBlock(e) : e.conditions ? await conditionsBlock(e, scope) : await attributionBlock(e, scope);
  const notes = (e.notes ?? []).map((n) => `<p class="note">${h(n)}</p>`).join('');
  return `<div class="explanation ${e.counterfactual !== undefined ? 'counterfactual' : e.rule ? 'anchor' : e.conditions ? 'lime' : 'attribution'}"><h4>${h(e.method)}</h4>${body}${faithfulnessHtml(e.faithfulness)}${notes}</div>`;
}

function explainsFacts(e: ReportExplanation): string[] {
  const facts: string[] = [];
  if (e.class !== undefined) facts.push(`explains <strong>${h(e.class)}</strong>${e.predictedClass ? ` (predicted ${h(e.predictedClass)})` : ''}`);
  if (e.prediction != null) facts.push(`model ${fmt(e.prediction)}`);
  return facts;
}

async function conditionsBlock(e: ReportExplanation, scope: ScopeIds): Promise<string> {
  const facts = explainsFacts(e);
  const s = e.surrogate;
  if (s) {
    facts.push(`local model ${fmt(s.localPrediction)}`, `intercept ${fmt(s.intercept)}`, `R² ${fmt(s.r2)}`);
  }
  const fresh = s?.fidelity;
  let warn = '';
  if (fresh) {
    if (fresh.r2 !== null) facts.push(`fresh-sample R² <strong>${fmt(fresh.r2)}</strong>`);
    if (fresh.agreement !== null) facts.push(`agreement <strong>${fmt(fresh.agreement)}</strong> on ${h(fresh.samples)} fresh samples`);
    if (fresh.r2 !== null && fresh.r2 < LOW_LOCAL_R2) warn = `<p class="warn"><strong>Low local R² (${fmt(fresh.r2)}):</strong> this linear surrogate explains little here.</p>`;
  }
  const conds = e.conditions ?? [];
  const chart = conds.length ? scope(await weightChartSvg(conds.map((c) => ({ label: c.condition, weight: c.weight })), 'weight')) : '<p class="muted">No feature selected.</p>';
  return `${warn}<p class="facts">${facts.join(' · ')}</p><figure class="chart">${chart}<figcaption><span class="pos">■ supports</span> <span class="neg">■ opposes</span> the explained output</figcaption></figure>`;
}

/** LIME's fresh-sample R² below which the local linear model is flagged as explaining little. */
const LOW_LOCAL_R2 = 0.3;

/** A counterfactual: the changes as a table, the distance, and the network's answer for the new row. */
function counterfactualBlock(e: ReportExplanation): string {
  const cf = e.counterfactual;
  if (!cf) return `<p class="warn"><strong>No counterfactual found</strong> for class ${h(e.class ?? '')} within the data's observed values.</p>`;
  const v = (x: string | number | null) => (x === null ? '<span class="muted">missing</span>' : h(typeof x === 'number' ? fmtValue(x) : x));
  const flips = cf.prediction.flips
    ? `<span class="pos">flips</span> to <strong>${h(cf.prediction.class)}</strong>`
    : `<span class="neg">does not flip</span>: still <strong>${h(cf.prediction.class)}</strong>`;
  const head = `<p class="facts">for <strong>${h(cf.wanted)}</strong>${e.predictedClass ? ` (now ${h(e.predictedClass)})` : ''} · distance <strong>${fmt(cf.distance)}</strong> column spreads · the network ${flips} (${fmt(cf.prediction.probability)})</p>`;
  const rows = cf.changes.map((c) => tr([td(h(c.feature), 'name'), td(v(c.from), 'num'), td(v(c.to), 'num strong')]));
  const from = cf.source === 'rule' && cf.rule ? `<p class="facts">started from the rule region <code>${h(cf.rule)}</code>, then moved back towards the row while the network's answer held</p>` : '<p class="facts">found by a seeded search over observed values</p>';
  return `${head}${rows.length ? table(['Change', 'From', 'To'], rows, 'changes') : '<p class="muted">No change needed.</p>'}${from}`;
}

/** Columns shown in an attribution chart, strongest first. */
const ATTRIBUTION_BARS = 10;

async function attributionBlock(e: ReportExplanation, scope: ScopeIds): Promise<string> {
  const facts = explainsFacts(e);
  if (e.base !== null) facts.push(`base ${fmt(e.base)}`);
  if (e.exact !== undefined) facts.push(e.exact ? 'exact' : 'sampled');
  if (e.completenessGap !== undefined) facts.push(`completeness gap ${h(e.completenessGap.toExponential(2))}`);
  const shown = e.attributions.slice(0, ATTRIBUTION_BARS);
  const label = (a: (typeof shown)[number]) => `${a.feature} = ${a.value === null ? 'missing' : typeof a.value === 'number' ? fmtValue(a.value) : a.value}`;
  const chart = shown.length ? scope(await weightChartSvg(shown.map((a) => ({ label: label(a), weight: a.attribution })), 'attribution')) : '<p class="muted">No attribution.</p>';
  const more = e.attributions.length > shown.length ? ` (${e.attributions.length - shown.length} weaker columns not shown)` : '';
  return `<p class="facts">${facts.join(' · ')}</p><figure class="chart">${chart}<figcaption><span class="pos">■ raises</span> <span class="neg">■ lowers</span> the explained output${h(more)}</figcaption></figure>`;
}

function ruleBlock(e: ReportExplanation): string {
  const r = e.rule!;
  const rule = r.ruleSet.surrogate.kind === 'tree' ? null : r.ruleSet.surrogate.rules[0];
  if (!rule) return '';
  const out = 'class' in rule.output ? h(rule.output.class) : fmt(rule.output.value);
  const conds = r.conditions.length ? r.conditions.map((c) => `<code>${h(c)}</code>`).join(' <span class="kw">AND</span> ') : '<span class="muted">(any row)</span>';
  const st = rule.stats;
  const head = r.confident ? '' : '<p class="warn"><strong>Search failed:</strong> no rule reached the precision threshold; the best candidate found is shown, not an anchor.</p>';
  const p = e.faithfulness?.precision;
  const precision = p ? `<strong>${score(p.value)}</strong>${p.ci95 ? ` [${score(p.ci95[0])} – ${score(p.ci95[1])}]` : ''}` : `<strong>${st?.precision != null ? score(st.precision) : '—'}</strong>`;
  return `${head}<p class="rule${r.confident ? '' : ' failed'}"><span class="kw">${r.confident ? 'IF' : 'BEST CANDIDATE: IF'}</span> ${conds} <span class="kw">THEN</span> <strong>${out}</strong></p>
<p class="facts">precision ${precision} · coverage <strong>${st ? score(st.coverage) : '—'}</strong></p>`;
}

function faithfulnessHtml(f: ReportFaithfulness | null): string {
  if (!f) return '';
  const parts: string[] = [];
  if (f.precision) parts.push(`precision ${score(f.precision.value)}${f.precision.ci95 ? ` [${score(f.precision.ci95[0])} – ${score(f.precision.ci95[1])}]` : ''} on ${h(f.precision.samples)} samples`);
  if (f.sensitivityN.length) parts.push(f.sensitivityN.map((s) => `sensitivity-${h(s.n)} <strong>${s.correlation === null ? '—' : fmt(s.correlation)}</strong>`).join(', '));
  if (f.deletion) parts.push(`deletion area <strong>${fmt(f.deletion.auc)}</strong> (random order ${fmt(f.deletion.randomAuc)})`);
  if (!parts.length) return '';
  return `<p class="facts faithfulness">faithfulness: ${parts.join(' · ')}</p>`;
}

function stabilitySection(input: ReportInput): string {
  if (!input.stability.length) return '';
  const body = input.stability.map((s) => tr([td(h(s.method), 'name'), td(h(s.measure)), td(score(s.value), 'num strong'), td(s.detail ? h(s.detail) : '')]));
  return `<section id="stability">
<h2>Stability</h2>
<p class="lead">How much the explanations change when only the random seed or the sample changes.</p>
${table(['Method', 'Measure', 'Value', 'Detail'], body, 'stability')}
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The score shown for a rule set: the measured one, else the fidelity recorded in the file. */
function scoreOf(r: ReportRuleSet): ReportScore | null {
  if (r.score) return r.score;
  const f = r.ruleSet.fidelity;
  if (!f) return null;
  return {
    data: f.data,
    rows: f.rows,
    fidelity: { metric: f.metric, value: f.value, ci95: f.ci95 },
    completeness: f.completeness,
    complexity: countRules(r.ruleSet),
  };
}

function kindName(r: ReportRuleSet): string {
  const k = r.ruleSet.surrogate.kind;
  return k === 'tree' ? 'decision tree' : k === 'list' ? 'decision list' : 'unordered rule set';
}

/** A number with 3 significant decimals for scores, trimmed. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1000 ? x.toFixed(0) : a >= 1 ? x.toFixed(2) : x.toFixed(3);
}

/**
 * Lets a wide diagram shrink to the page only down to 3/4 of its size (its labels stay readable);
 * beyond that its figure scrolls sideways.
 */
function readableWidth(svg: string): string {
  const w = Number(svg.match(/^<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/)?.[1]);
  return Number.isFinite(w) ? svg.replace(/^<svg /, `<svg style="min-width:${Math.round(w * 0.75)}px" `) : svg;
}

/** Which rows a score was measured on, with their number unless the description gives it. */
function measuredOn(s: ReportScore): string {
  return new RegExp(`\\b${s.rows}\\b`).test(s.data) ? s.data : `${s.data} (${s.rows} rows)`;
}

/** A score in [0, 1] (or R²) with three decimals. */
function score(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : String(x);
}

/** A data value, with at most 6 significant digits. */
function fmtValue(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'set';
}

function classChip(c: string, i: number): string {
  const color = COLORS.classes[(i >= 0 ? i : 0) % COLORS.classes.length];
  return `<span class="chip" style="border-color:${color}"><span class="dot" style="background:${color}"></span>${h(c)}</span>`;
}

function td(html: string, cls = ''): string {
  return cls ? `<td class="${cls}">${html}</td>` : `<td>${html}</td>`;
}
function tr(cells: string[]): string {
  return `<tr>${cells.join('')}</tr>`;
}
function table(head: string[], rows: string[], cls: string): string {
  return `<div class="table-wrap"><table class="${cls}"><thead><tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}
function dl(items: [string, string][], cls = ''): string {
  return `<dl${cls ? ` class="${cls}"` : ''}>${items.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

const CSS = `
:root { --ink: ${COLORS.ink}; --muted: ${COLORS.muted}; --line: ${COLORS.grid}; --accent: ${COLORS.accent}; --pos: ${COLORS.positive}; --neg: ${COLORS.negative}; --bg: #f7f8fa; }
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--ink); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 28px; }
header { padding-top: 32px; padding-bottom: 8px; }
h1 { font-size: 28px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 0 0 4px; padding-top: 8px; }
h3 { font-size: 16px; margin: 0 0 10px; }
h4 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 0 0 4px; }
.sub { color: var(--muted); margin: 0 0 14px; font-size: 14px; }
nav { display: flex; gap: 6px; flex-wrap: wrap; margin-bottom: 8px; }
nav a { color: var(--accent); text-decoration: none; font-size: 13px; padding: 3px 10px; border: 1px solid #c7d2fe; border-radius: 999px; background: #fff; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; margin: 18px 0; }
.note { color: var(--muted); font-size: 13px; margin: -4px 0 10px; }
.lead { color: var(--muted); margin: 0 0 14px; }
.muted { color: var(--muted); }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f1f3f5; padding: 1px 4px; border-radius: 4px; overflow-wrap: break-word; }
code.hash { word-break: break-all; }
code.hash { font-size: 11px; }
code.opt { display: inline-block; margin: 1px 0; font-size: 12px; word-break: normal; }
.table-wrap { overflow-x: auto; margin: 8px 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; border-bottom: 2px solid var(--line); padding: 6px 10px; white-space: nowrap; }
td { border-bottom: 1px solid var(--line); padding: 6px 10px; vertical-align: top; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.num { text-align: right; white-space: nowrap; }
td.strong { font-weight: 600; }
td.name { font-weight: 600; word-break: break-word; }
table.values { width: auto; min-width: 240px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; margin-bottom: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; font-size: 14px; }
dt { color: var(--muted); }
dd { margin: 0; min-width: 0; }
dl.compact { margin-bottom: 12px; grid-template-columns: max-content minmax(0, 1fr) max-content minmax(0, 1fr); }
@media (max-width: 760px) { dl.compact { grid-template-columns: max-content 1fr; } }
.chip { display: inline-flex; align-items: center; gap: 5px; border: 1px solid; border-radius: 999px; padding: 0 8px; font-size: 13px; margin: 1px 0; }
.dot { width: 8px; height: 8px; border-radius: 50%; display: inline-block; }
.badge { font-size: 12px; font-weight: 500; color: var(--accent); background: #eef2ff; border-radius: 999px; padding: 2px 8px; vertical-align: 2px; margin-left: 6px; }
article { border-top: 1px solid var(--line); padding-top: 16px; margin-top: 16px; }
article:first-of-type { border-top: none; margin-top: 0; }
figure { margin: 8px 0 12px; }
figure.tree { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
details { margin: 6px 0; }
summary { cursor: pointer; color: var(--accent); font-size: 14px; }
pre.rules { font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f8fafc; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; overflow-x: auto; white-space: pre; margin: 8px 0 0; }
.local-grid { display: grid; grid-template-columns: minmax(240px, 300px) 1fr; gap: 24px; align-items: start; }
.local-grid > div:only-child { grid-column: 1 / -1; }
.importance-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 18px; align-items: start; }
.facts { margin: 0 0 6px; font-size: 14px; color: var(--muted); }
.facts strong { color: var(--ink); }
.anchor { margin-top: 14px; padding: 10px 14px; border-left: 3px solid var(--accent); background: #f8faff; border-radius: 0 8px 8px 0; }
.anchor .rule { margin: 0 0 4px; }
.rule code { white-space: nowrap; }
.explanation + .explanation { margin-top: 14px; }
.warn { color: #8a4b00; background: #fff4e0; padding: 4px 8px; border-radius: 4px; margin: 0 0 6px; }
.faithfulness { font-size: 13px; }
.rule.failed { opacity: 0.75; }
.rowinfo { margin-top: -6px; }
table.confusion { width: auto; margin-top: 4px; }
table.confusion caption { caption-side: top; text-align: left; color: var(--muted); font-size: 13px; padding-bottom: 4px; }
table.confusion td.diag { background: #ecfdf3; }
table.confusion td.off { color: var(--neg); }
table.changes { width: auto; min-width: 260px; }
.kw { font-weight: 700; font-size: 12px; letter-spacing: 0.05em; color: var(--accent); }
.pos { color: var(--pos); font-weight: 600; }
.neg { color: var(--neg); font-weight: 600; }
footer { color: var(--muted); font-size: 13px; padding-bottom: 40px; }
@media (max-width: 1000px) { .local-grid { grid-template-columns: 1fr; } }
@media print { html { background: #fff; } section { border: none; padding: 0; } nav { display: none; } }
`;
