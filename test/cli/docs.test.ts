/**
 * The documentation stays true to the code: every `distill` command line in README.md and docs/
 * names a real command and real flags; the option tables of the method pages list the extractors'
 * actual defaults; the rule format example is a valid rule set.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractors } from '../../src/global/index.js';
import { localExplainers, optionInfo, type LocalExplainer } from '../../src/local/index.js';
import { importRuleSet, validateRuleSet } from '../../src/rules/index.js';
import { ROOT } from '../helpers/cli.js';

const read = (p: string) => readFile(join(ROOT, p), 'utf8');

/** Shell code blocks of a Markdown text, one command line per entry (comments dropped). */
function commandLines(md: string): string[] {
  const out: string[] = [];
  for (const m of md.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of m[1].split('\n')) {
      const cmd = line.replace(/\s+#.*$/, '').trim();
      for (const part of cmd.split(/\s*&&\s*/)) if (/^(npx )?distill\b/.test(part)) out.push(part);
    }
  }
  return out;
}

/** The flags each command's section of docs/cli.md documents (`## distill NAME` / `### distill NAME SUB`). */
function documentedFlags(cliMd: string): Map<string, Set<string>> {
  const sections = new Map<string, Set<string>>();
  const parts = cliMd.split(/^#{2,3} distill\b/m).slice(1);
  for (const p of parts) {
    const name = p.split('\n')[0].trim();
    const flags = new Set([...p.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]));
    sections.set(name, flags);
  }
  return sections;
}

describe('documentation', () => {
  it('uses only real commands and flags in README.md and docs/', async () => {
    const sections = documentedFlags(await read('docs/cli.md'));
    const files = ['README.md', 'docs/guide.md', 'docs/rules-format.md', ...(await readdir(join(ROOT, 'docs/methods'))).map((f) => `docs/methods/${f}`)];
    let checked = 0;
    for (const file of files) {
      for (const line of commandLines(await read(file))) {
        const words = line.replace(/^npx /, '').split(/\s+/).slice(1);
        const command = words[0];
        const sub = words[1] && sections.has(`${command} ${words[1]}`) ? `${command} ${words[1]}` : command;
        expect(sections.has(sub), `${file}: unknown command in "${line}"`).toBe(true);
        const flags = sections.get(sub)!;
        for (const w of words.filter((x) => x.startsWith('--'))) {
          const flag = w.replace(/=.*$/, '').replace(/^--no-/, '--');
          expect(flags.has(flag), `${file}: distill ${sub} has no flag ${flag} ("${line}")`).toBe(true);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it.each(['cart', 'trepan', 'ann-dt'])("lists %s's options with their actual defaults", async (method) => {
    const md = await read(`docs/methods/${method}.md`);
    const table = new Map([...md.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2].trim()]));
    const defaults = extractors[method].defaults as Record<string, unknown>;
    expect([...table.keys()].sort()).toEqual(Object.keys(defaults).sort());
    for (const [k, v] of Object.entries(defaults)) expect(table.get(k), `${method}.${k}`).toBe(String(v));
  });

  it('gives a valid rule set as the example of the rule format', async () => {
    const md = await read('docs/rules-format.md');
    const json = md.match(/```json\n([\s\S]*?)```/)![1];
    expect(validateRuleSet(JSON.parse(json))).toMatchObject({ ok: true });
    const rs = importRuleSet(json, 'docs/rules-format.md');
    expect(rs.surrogate.kind).toBe('list');
  });

  it('links only to files that exist', async () => {
    const files = ['README.md', 'docs/guide.md', 'docs/rules-format.md', ...(await readdir(join(ROOT, 'docs/methods'))).map((f) => `docs/methods/${f}`)];
    // Pages written by other steps (benchmarks by `npm run bench`, cred by its method's author) may come later.
    const pending = new Set(['docs/benchmarks.md', 'docs/methods/cred.md']);
    for (const file of files) {
      const dir = join(ROOT, file, '..');
      for (const m of (await read(file)).matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)) {
        const target = m[1];
        if (/^https?:/.test(target)) continue;
        const abs = join(dir, target);
        if (pending.has(abs.slice(ROOT.length + 1))) continue;
        await expect(readFile(abs), `${file} links to ${target}`).resolves.toBeDefined();
      }
    }
  });
});

describe('local method pages', () => {
  it.each(Object.keys(localExplainers))("list %s's options with their flags and defaults", async (name) => {
    const e = (localExplainers as Record<string, LocalExplainer>)[name];
    const md = await read(e.docs);
    const table = new Map([...md.matchAll(/^\| `(\w+)` \| ([^|]+) \| ([^|]+) \|/gm)].map((m) => [m[1], { flag: m[2].trim(), def: m[3].trim() }]));
    expect([...table.keys()].sort()).toEqual(Object.keys(e.options.shape).sort());
    const cli = new Map(optionInfo(e).map((o) => [o.key, o]));
    for (const [key, row] of table) {
      const o = cli.get(key);
      expect(row.flag, `${name}.${key}`).toBe(o ? `\`${o.flag}\`` : '—');
      if (o?.default !== undefined) expect(row.def, `${name}.${key}`).toBe(String(o.default));
    }
  });
});
