/**
 * Large CSV files are streamed (a scan, then the rows in batches) instead of parsed whole: the
 * streamed path must type every file exactly as the in-memory one does, and fail with the same
 * one-line errors (line numbers included). `inMemoryBytes: 0` streams even a small file.
 */
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { alignRows } from '../../src/data/align.js';
import { loadDataset, scanDataset, streamDataset } from '../../src/data/load.js';
import type { Feature } from '../../src/data/types.js';
import { useHostileFiles } from './data-fixtures.js';

const files = useHostileFiles();

const CASES: Record<string, string> = {
  header: 'a,b,y\n1,x,p\n2,y,q\n',
  noHeader: '1,x,p\n2,y,q\n3,x,p\n',
  allTextHeader: 'name,kind\nfoo,a\nbar,b\n',
  partialHeader: 'id,diag\n1,M,1.5,2\n2,B,2.5,3\n',
  blankLines: 'a,y\n\n1,p\n   \n2,q\n',
  quotedLineBreak: 'a,y\n"1",p\n2,"q\nr"\n',
  missing: 'a,y\n?,p\n,q\n3,r\n',
  duplicateNames: 'a,a,y\n1,2,p\n3,4,q\n',
  regression: 'a,y\n1,0.5\n2,1.5\n',
  escapeInHeader: 'a\u001b[2J,y\n1,p\n2,q\n',
  ragged: 'a,b,y\n1,2,p\n1,p\n',
  raggedNoHeader: '1,2,p\n1,2\n',
  word: 'a,y\n1,p\n2,p\n3,p\n4,p\n5,p\n6,p\n7,p\n8,p\n9,p\n10,p\nabc,p\n',
  nan: 'a,y\n1,p\nNaN,q\n',
  nul: 'a,y\n1,p\u0000x\n2,q\n',
  onlyHeader: 'a,b\n',
  empty: '',
  unclosedQuote: 'a,y\n"1,p\n',
};

const outcome = async (f: () => Promise<unknown>) => {
  try {
    return await f();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

describe('streamed CSV reading', () => {
  it('types every file as the in-memory reader does, with the same errors', async () => {
    for (const [name, text] of Object.entries(CASES)) {
      const f = files().at(`${name}.csv`);
      await writeFile(f, text);
      const whole = await outcome(() => loadDataset(f));
      const streamed = await outcome(() => loadDataset(f, { inMemoryBytes: 0 }));
      expect(streamed, name).toEqual(whole);
    }
  });

  it('names the line of a control character and of a bad number in a streamed file', async () => {
    const f = files().at('late.csv');
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},${i % 2 ? 'p' : 'q'}`);
    rows[4321] = '4321,p\u001bq';
    await writeFile(f, `a,y\n${rows.join('\n')}\n`);
    await expect(loadDataset(f, { inMemoryBytes: 0 })).rejects.toThrow(
      `${f}:4323: column "y": control character U+001B (ESC) in a value; data values must be text without control characters`,
    );
    rows[4321] = '43x21,p';
    await writeFile(f, `a,y\n${rows.join('\n')}\n`);
    await expect(loadDataset(f, { inMemoryBytes: 0 })).rejects.toThrow(`${f}:4323: column "a": expected a number, got "43x21"`);
  });

  it('reads the rows in batches of at most the asked size, each numbered from its first row', async () => {
    const f = files().at('batches.csv');
    await writeFile(f, `a,y\n${Array.from({ length: 25 }, (_, i) => `${i},${i % 3}`).join('\n')}\n`);
    const scan = await scanDataset(f, { inMemoryBytes: 0 });
    expect(scan.plan.rows).toBe(25);
    const seen: unknown[] = [];
    for await (const b of scan.batches(10)) {
      expect(b.rows.length).toBeLessThanOrEqual(10);
      expect(b.start).toBe(seen.length);
      for (const r of b.rows) seen.push(r[0]);
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('one pass typed by a known schema gives the rows of the scan and alignment, and errors with their line', async () => {
    const read = async (name: string, features: Feature[]) =>
      outcome(async () => {
        const stream = await streamDataset(files().at(`${name}.csv`), features, { inMemoryBytes: 0 }, 'the rules');
        const rows: unknown[] = [];
        for await (const b of stream!.batches(2)) rows.push(...b.rows);
        return rows;
      });
    const ab: Feature[] = [{ name: 'b', type: 'categorical', categories: ['x', 'y'] }, { name: 'a', type: 'numeric' }];
    for (const name of ['header', 'blankLines', 'quotedLineBreak', 'missing']) {
      const whole = await loadDataset(files().at(`${name}.csv`));
      const features = name === 'header' ? ab : [{ name: 'a', type: 'numeric' } as Feature];
      expect(await read(name, features), name).toEqual(alignRows(whole, features));
    }
    const cols: Feature[] = [{ name: 'col_1', type: 'categorical', categories: ['x', 'y'] }];
    expect(await read('noHeader', cols)).toEqual([['x'], ['y'], ['x']]);
    const f = (k: string) => files().at(`${k}.csv`);
    expect(await read('word', [{ name: 'a', type: 'numeric' }])).toBe(`error: ${f('word')}:12: column "a": expected a number, got "abc"`);
    expect(await read('nan', [{ name: 'a', type: 'numeric' }])).toBe(`error: ${f('nan')}:3: column "a": expected a finite number, got "NaN"`);
    expect(await read('ragged', ab)).toBe(`error: ${f('ragged')}:3: expected 3 fields (as in the header), got 2`);
    expect(await read('nul', [{ name: 'y', type: 'categorical', categories: ['q'] }])).toBe(
      `error: ${f('nul')}:2: column "y": control character U+0000 (NUL) in a value; data values must be text without control characters`,
    );
    expect(await read('header', [{ name: 'z', type: 'numeric' }])).toBe(`error: ${f('header')}: the data has no column "z" (needed by the rules); its columns: "a", "b", "y"`);
  });
});
