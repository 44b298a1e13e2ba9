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
});
