import { describe, expect, it } from 'vitest';
import { escapeHtml, renderReport, scopeSvgIds, treeDiagram, wrapText } from '../../src/report/index.js';
import { fileURLToPath } from 'node:url';
import { extractSummary } from '../../src/cli/commands/extract.js';
import { countRules, forEachCondition, loadRuleSet, renderRuleSet } from '../../src/rules/index.js';
import type { RuleSet } from '../../src/rules/schema.js';
import { sampleReportInput, XSS } from './sampleInput.js';

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml(3.5)).toBe('3.5');
  });
});

describe('wrapText', () => {
  it('breaks at spaces within the width and keeps long words whole', () => {
    expect(wrapText('short', 10)).toEqual(['short']);
    expect(wrapText('2 of {a <= 1, b > 2, c = x}', 13)).toEqual(['2 of {a <= 1,', 'b > 2, c = x}']);
    expect(wrapText('2 of {a <= 1, b > 2, c = x}', 12)).toEqual(['2 of {a <=', '1, b > 2, c', '= x}']);
    expect(wrapText('averyveryverylongword x', 5)).toEqual(['averyveryverylongword', 'x']);
  });
});

describe('treeDiagram', () => {
  it('labels splits with their condition and leaves with class, support and precision', () => {
    const tree = {
      kind: 'tree' as const,
      root: {
        type: 'split' as const,
        condition: { type: 'le' as const, feature: 'x', threshold: 1 },
        yes: { type: 'leaf' as const, output: { class: 'a' }, stats: { support: 10, precision: 0.9, coverage: 0.5 } },
        no: { type: 'leaf' as const, output: { value: 2.5 } },
      },
    };
    const d = treeDiagram(tree, (c) => `${(c as { feature: string }).feature} test`);
    expect(d).toEqual({
      lines: ['x test'],
      leaf: false,
      children: [
        { lines: ['a (10 rows, 90%)'], leaf: true, cls: 'a', edge: 'yes' },
        { lines: ['= 2.5'], leaf: true, edge: 'no' },
      ],
    });
  });
});

describe('renderReport', () => {
  it('renders a complete, self-contained page with tables and SVG charts', async () => {
    const html = await renderReport(sampleReportInput());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const id of ['summary', 'model-data', 'rules', 'local', 'stability']) expect(html).toContain(`<section id="${id}">`);
    // Fidelity chart, tree diagram, importance bars and strip plot, LIME chart.
    expect(html.match(/<svg /g)?.length).toBe(5);
    expect(html.match(/<table /g)?.length).toBe(4);
    // Self-contained: no script, no stylesheet link, no external URL other than SVG namespaces.
    expect(html).not.toMatch(/<script|<link|@import|url\((?!#)|<img|<iframe/i);
    // Chart ids are unique in the page (vega's clip paths are renamed per chart).
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const urls = html.match(/https?:\/\/[^\s"')]+/g) ?? [];
    expect(urls.every((u) => u.startsWith('http://www.w3.org/'))).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('shows each rule set with fidelity, interval, completeness and size', async () => {
    const html = await renderReport(sampleReportInput());
    const summary = html.slice(html.indexOf('<section id="summary">'), html.indexOf('<section id="model-data">'));
    expect(summary).toMatch(/<td class="name">cart<\/td><td>cart<\/td><td>decision tree<\/td><td class="num strong">0\.967<\/td><td class="num">0\.900 – 1\.000<\/td><td class="num">1\.000<\/td><td class="num">3<\/td><td class="num">5<\/td>/);
    expect(summary).toContain('Measured on held-out 20% of builtin:iris (30 rows).');
    expect(html).toContain('<pre class="rules">1. IF petal_width &lt;= 0.8 THEN setosa');
  });

  it('draws LIME weights as green (supporting) and red (opposing) bars', async () => {
    const html = await renderReport(sampleReportInput());
    const local = html.slice(html.indexOf('<section id="local">'));
    const block = local.slice(local.indexOf('<div class="explanation lime">'));
    const lime = block.slice(block.indexOf('<svg'), block.indexOf('</svg>'));
    // Three positive weights and one negative in the sample explanation.
    expect(lime.match(/fill="#2e7d32"/g)?.length).toBe(3);
    expect(lime.match(/fill="#c62828"/g)?.length).toBe(1);
    expect(lime).toContain('petal_length &gt; 5.1');
    expect(local).toContain('precision <strong>0.980</strong> [0.930 – 1.000] · coverage <strong>0.310</strong>');
  });

  it('falls back to the fidelity recorded in the rule set when no score was measured', async () => {
    const input = sampleReportInput();
    input.ruleSets = [{ ...input.ruleSets[0], score: null }];
    const html = await renderReport(input);
    expect(html).toContain('<td class="num strong">0.967</td><td class="num">0.900 – 1.000</td>');
    // Size counted from the tree itself: 3 leaves, 1 + 2 + 2 conditions.
    expect(html).toMatch(/<td class="num">3<\/td><td class="num">5<\/td>/);
  });

  it('is deterministic', async () => {
    expect(await renderReport(sampleReportInput())).toBe(await renderReport(sampleReportInput()));
  });

  it('escapes every name that comes from the data (columns, categories, classes)', async () => {
    const html = await renderReport(sampleReportInput({ hostile: true }));
    expect(html).not.toContain(XSS);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>osa');
    expect(html).not.toContain('<i>red</i>');
    const escaped = escapeHtml(XSS);
    // Tables, rule text, tree labels, LIME axis labels, row values all show it as text.
    expect(html.split(escaped).length - 1).toBeGreaterThanOrEqual(8);
    expect(html).toContain('set&lt;b&gt;osa&lt;/b&gt;');
  });

  it('handles a report without rule sets or explanations', async () => {
    const input = { ...sampleReportInput(), ruleSets: [], explanations: [], stability: [], rows: undefined };
    const html = await renderReport(input);
    expect(html).toContain('No global rule set in this report.');
    expect(html).not.toContain('<section id="local">');
    expect(html).not.toContain('<svg');
  });

  it('renders a regression tree leaf by its value', async () => {
    const input = sampleReportInput();
    const rs: RuleSet = {
      ...input.ruleSets[0].ruleSet,
      task: 'regression',
      schema: { ...input.ruleSets[0].ruleSet.schema, target: { name: 'y', kind: 'regression' } },
      surrogate: { kind: 'tree', root: { type: 'leaf', output: { value: 1.25 } } },
      fidelity: { data: 'held-out', rows: 10, metric: 'r2', value: 0.8, ci95: null, completeness: null },
    };
    input.ruleSets = [{ name: 'reg', ruleSet: rs, score: null, text: '= 1.25', diagram: treeDiagram(rs.surrogate as never, String) }];
    const html = await renderReport(input);
    expect(html).toContain('0.800 <span class="muted">R²</span>');
    expect(html).toContain('= 1.25</text>');
  });
});

describe('rule set size', () => {
  it('is the same in the report and in extract for a TREPAN tree with M-of-N tests', async () => {
    // monk2-trepan (a committed example): its root tests "2 of {…}", so counting an M-of-N test as
    // one condition instead of its members would disagree with extract's summary
    const rs = await loadRuleSet(fileURLToPath(new URL('../../rules/examples/monk2-trepan.json', import.meta.url)));
    let mofn = 0;
    forEachCondition(rs.surrogate, (c) => void (c.type === 'mofn' && mofn++));
    expect(mofn).toBeGreaterThan(0);
    const c = countRules(rs);
    const summary = extractSummary(rs);
    expect(summary).toContain(`${c.rules} leaves, ${c.conditions} conditions, ${c.features} features`);
    const input = { ...sampleReportInput(), ruleSets: [{ name: 'trepan', ruleSet: rs, score: null, text: renderRuleSet(rs) }] };
    const html = await renderReport(input);
    expect(html).toContain(`<td class="num">${c.rules}</td><td class="num">${c.conditions}</td>`);
    expect(html).toContain(`${c.rules} rules, ${c.conditions} conditions, at most ${c.maxConditions} per rule, ${c.features} features used`);
  });
});

describe('scopeSvgIds', () => {
  it('renames ids and their references with the prefix', () => {
    const svg = '<svg><defs><clipPath id="clip7"><path/></clipPath></defs><g clip-path="url(#clip7)"/><use href="#clip7"/></svg>';
    expect(scopeSvgIds(svg, 'c1-')).toBe('<svg><defs><clipPath id="c1-0"><path/></clipPath></defs><g clip-path="url(#c1-0)"/><use href="#c1-0"/></svg>');
  });
});
