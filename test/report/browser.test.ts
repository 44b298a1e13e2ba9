/**
 * The report in a real browser (Debian's chromium through playwright-core): charts and tables
 * display, the console stays clean, the page loads nothing but itself, and names from the data
 * display as text. Keeps a screenshot in test-artifacts/report.png.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderReport } from '../../src/report/index.js';
import { ROOT } from '../helpers/cli.js';
import { sampleReportInput, XSS } from './sampleInput.js';
import { auditReportInput } from './auditInput.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  dir = await mkdtemp(join(tmpdir(), 'distill-report-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens `html` from a file and records console messages, page errors, requests and dialogs. */
async function open(html: string, name: string): Promise<{ page: Page; url: string; console: string[]; requests: string[]; dialogs: string[] }> {
  const file = join(dir, name);
  await writeFile(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const messages: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, console: messages, requests, dialogs };
}

describe('report in headless Chromium', () => {
  it('shows charts and tables, logs no error and requests nothing but its own file', async () => {
    const { page, url, console: messages, requests } = await open(await renderReport(sampleReportInput()), 'report.html');
    // Fidelity chart, tree diagram, importance bars and strip plot, LIME chart, each drawn with a visible size.
    const svgs = await page.$$eval('svg', (els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]));
    expect(svgs).toHaveLength(5);
    for (const [w, h] of svgs) {
      expect(w).toBeGreaterThan(100);
      expect(h).toBeGreaterThan(40);
    }
    expect(await page.locator('table.scores tbody tr').count()).toBe(2);
    expect(await page.locator('table.features tbody tr').count()).toBe(5);
    // The bars of the LIME chart: three green, one red.
    const fills = await page.$$eval('#local svg path[aria-roledescription="bar"]', (els) => els.map((e) => getComputedStyle(e).fill));
    expect(fills.filter((f) => f === 'rgb(46, 125, 50)')).toHaveLength(3);
    expect(fills.filter((f) => f === 'rgb(198, 40, 40)')).toHaveLength(1);
    expect(await page.locator('#summary td.strong').first().textContent()).toBe('0.967');
    // The importance charts: bars with intervals, and one dot per row and column.
    expect(await page.locator('#importance-shap svg').count()).toBe(2);
    expect(await page.locator('#importance-shap svg').nth(1).locator('path[aria-roledescription="circle"]').count()).toBe(60);
    // No label is clipped: every text of every chart lies inside its SVG's box.
    const texts = await page.$$eval('svg', (els) =>
      els.flatMap((svg, k) => {
        const box = svg.getBoundingClientRect();
        return Array.from(svg.querySelectorAll('text'))
          .filter((t) => (t.textContent ?? '').trim() !== '')
          .map((t) => ({ k, text: t.textContent, r: t.getBoundingClientRect() }))
          .map(({ k, text, r }) => ({ label: `chart ${k}: ${text}`, inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1 }));
      }),
    );
    expect(texts.length).toBeGreaterThan(30);
    expect(texts.filter((t) => !t.inside).map((t) => t.label)).toEqual([]);
    expect(messages).toEqual([]);
    expect(requests).toEqual([url]);
    await mkdir(join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'report.png'), fullPage: true });
    await page.close();
  });

  it('displays HTML in column and class names as text and runs no script', async () => {
    const { page, console: messages, requests, dialogs } = await open(await renderReport(sampleReportInput({ hostile: true })), 'hostile.html');
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('b, i').count()).toBe(0);
    expect(dialogs).toEqual([]);
    // The column name shows literally in the feature table, the LIME axis and the tree diagram.
    expect(await page.locator('table.features td.name').nth(3).textContent()).toBe(XSS);
    const svgText = await page.$$eval('svg text', (els) => els.map((e) => e.textContent));
    expect(svgText).toContain(`${XSS} > 1.8`);
    expect(svgText).toContain(`${XSS} <= 0.8`);
    expect(await page.locator('.chip').first().textContent()).toBe('set<b>osa</b>');
    expect(messages).toEqual([]);
    expect(requests).toHaveLength(1);
    await page.close();
  });

  it.each([1400, 800])('an audit report at %i px: every SVG text inside its view box, trees fit or scroll, failures and rows shown', async (width) => {
    const { page, url, console: messages, requests } = await open(await renderReport(auditReportInput()), `audit-${width}.html`);
    await page.setViewportSize({ width, height: 900 });
    // Every text element of every SVG lies inside that SVG's view box (no clipped label).
    const outside = await page.$$eval('svg', (svgs) =>
      svgs.flatMap((svg) => {
        const s = svg as SVGSVGElement;
        const vb = s.viewBox.baseVal;
        const [x0, y0, w, h] = vb && vb.width ? [vb.x, vb.y, vb.width, vb.height] : [0, 0, s.width.baseVal.value, s.height.baseVal.value];
        return Array.from(s.querySelectorAll('text')).flatMap((t) => {
          const b = (t as SVGTextElement).getBBox();
          const m = s.getCTM()!.inverse().multiply((t as SVGTextElement).getCTM()!);
          const [p, q] = [new DOMPoint(b.x, b.y).matrixTransform(m), new DOMPoint(b.x + b.width, b.y + b.height).matrixTransform(m)];
          return p.x < x0 - 0.5 || p.y < y0 - 0.5 || q.x > x0 + w + 0.5 || q.y > y0 + h + 0.5 ? [`${t.textContent} at ${p.x.toFixed(0)},${p.y.toFixed(0)}-${q.x.toFixed(0)},${q.y.toFixed(0)} in ${w}x${h}`] : [];
        });
      }),
    );
    expect(outside).toEqual([]);
    // A tree wider than its panel scrolls inside the panel; the page itself never scrolls sideways.
    for (const f of await page.locator('figure.tree').all()) {
      const [client, scroll, svgWidth] = await f.evaluate((el) => [el.clientWidth, el.scrollWidth, el.querySelector('svg')!.getBoundingClientRect().width]);
      expect(svgWidth).toBeLessThanOrEqual(scroll + 1);
      expect(client).toBeGreaterThan(100);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    // Split labels do not cross the tree's edges: each edge starts right of its node's label.
    const crossings = await page.$$eval('figure.tree svg', (svgs) =>
      svgs.flatMap((svg) => {
        const texts = Array.from(svg.querySelectorAll('text')).map((t) => (t as SVGTextElement).getBBox()).filter((b) => b.height > 20);
        const paths = Array.from(svg.querySelectorAll('path')).filter((p) => (p as SVGPathElement).getAttribute('d')?.includes('C'));
        const hits: string[] = [];
        for (const p of paths) {
          const path = p as SVGPathElement;
          const len = path.getTotalLength();
          for (let i = 1; i < 40; i++) {
            const pt = path.getPointAtLength((len * i) / 40);
            for (const b of texts) if (pt.x > b.x + 2 && pt.x < b.x + b.width - 2 && pt.y > b.y + 2 && pt.y < b.y + b.height - 2) hits.push(`${pt.x.toFixed(0)},${pt.y.toFixed(0)}`);
          }
        }
        return hits;
      }),
    );
    expect(crossings).toEqual([]);
    expect(await page.locator('#failures td.name').allTextContents()).toEqual(['extract mofn', 'explain deeplift']);
    expect(await page.locator('#row-7 .rowinfo').textContent()).toBe('row 842517 of wdbc.csv · true label malignant · least confident (0.551)');
    expect(await page.locator('#row-7 .lime .warn').textContent()).toContain('this linear surrogate explains little here');
    expect(await page.locator('#row-7 .anchor .warn').textContent()).toContain('Search failed');
    expect(await page.locator('#row-7 .anchor .facts').first().textContent()).toContain('0.810 [0.740 – 0.870]');
    expect(await page.locator('#row-7 .counterfactual table.changes td').allTextContents()).toEqual(['concave_points_worst', '0.1123', '0.0871']);
    expect(await page.locator('table.confusion').count()).toBe(2);
    expect(await page.locator('#rules details[open]').count()).toBe(2);
    // Conditions in code never break inside a word.
    const broken = await page.$$eval('.anchor code', (els) => els.filter((e) => e.getClientRects().length > 1 && !/\s/.test(e.textContent ?? '')).map((e) => e.textContent));
    expect(broken).toEqual([]);
    expect(messages).toEqual([]);
    expect(requests).toEqual([url]);
    await page.screenshot({ path: join(dir, `audit-${width}.png`), fullPage: true });
    await page.close();
  });
});
