/**
 * docs/cli.md is generated from the command definitions (scripts/cli-docs.ts); this fails when a
 * command's flags, help or examples changed without regenerating it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_DOCS_PATH, cliReference, commandNames } from '../../scripts/cli-docs.js';
import { ROOT } from '../helpers/cli.js';

describe('docs/cli.md', () => {
  it('documents every registered command', () => {
    expect(commandNames()).toEqual(expect.arrayContaining(['demo', 'report', 'extract', 'explain', 'train']));
  });

  it("shows examples in every command's --help", async () => {
    const md = await cliReference();
    for (const part of md.split(/^## distill /m).slice(2)) {
      expect(part, `distill ${part.split('\n')[0]} --help`).toContain('\nExamples:\n');
    }
  });

  it('is up to date with the command definitions (regenerate: npx tsx scripts/cli-docs.ts)', async () => {
    const committed = await readFile(join(ROOT, CLI_DOCS_PATH), 'utf8');
    const fresh = await cliReference();
    for (const name of commandNames()) expect(committed, `section for distill ${name}`).toContain(`## distill ${name}\n`);
    expect(committed === fresh, 'docs/cli.md is stale: run npx tsx scripts/cli-docs.ts').toBe(true);
  });
});
