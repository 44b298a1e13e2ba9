import { describe, expect, it } from 'vitest';
import { loadDataFromArgs } from '../../src/cli/data-options.js';
import { tmpFile } from '../data/helpers.js';

describe('loadDataFromArgs (src/cli/data-options.ts)', () => {
  const p = tmpFile('opts.csv', 'id,a,b,y\n1,2,x,p\n2,3,y,q\n');

  it('passes target, categorical and ignore through', async () => {
    const ds = await loadDataFromArgs({ data: p, target: 'b', categorical: 'a', ignore: 'id' });
    expect(ds.schema.target?.name).toBe('b');
    expect(ds.schema.features).toEqual([
      { name: 'a', type: 'categorical', categories: ['2', '3'] },
      { name: 'y', type: 'categorical', categories: ['p', 'q'] },
    ]);
    expect((await loadDataFromArgs({ data: p, targetIndex: 1 })).schema.target?.name).toBe('a');
    expect((await loadDataFromArgs({ data: 'builtin:iris' }, { noTarget: true })).schema.target).toBeUndefined();
  });

  it('prints loader warnings on stderr unless quiet', async () => {
    const q = tmpFile('short.csv', 'a,b\n1,2,x\n3,4,y\n');
    const written: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (written.push(String(s)), true)) as typeof process.stderr.write;
    try {
      await loadDataFromArgs({ data: q });
      await loadDataFromArgs({ data: q, quiet: true });
      await loadDataFromArgs({ data: q }, { warn: false });
    } finally {
      process.stderr.write = orig;
    }
    expect(written).toEqual(['distill: warning: the header names 2 of 3 columns: taken as names of the last 2 (the others are called col_0); check them\n']);
  });

  it('names the flag at fault', async () => {
    await expect(loadDataFromArgs({ data: p, target: 'zz' })).rejects.toThrow(`--target: ${p}: unknown target column "zz"; available columns: "id", "a", "b", "y"`);
    await expect(loadDataFromArgs({ data: p, ignore: 'a,,b' })).rejects.toThrow('--ignore: expected comma-separated column names');
    await expect(loadDataFromArgs({ data: p, categorical: 'q' })).rejects.toThrow('--categorical: ');
    await expect(loadDataFromArgs({ data: p, targetIndex: 9 })).rejects.toThrow('--target-index: ');
    await expect(loadDataFromArgs({ data: p, targetIndex: 1.5 })).rejects.toThrow('--target-index: expected a column index');
    await expect(loadDataFromArgs({ data: p, target: 'a', targetIndex: 1 })).rejects.toThrow('--target-index: give either');
    await expect(loadDataFromArgs({ data: '/no/such.csv' })).rejects.toThrow('--data: /no/such.csv: no such file or folder');
    await expect(loadDataFromArgs({ data: 'builtin:zzz' })).rejects.toThrow('--data: builtin:zzz: unknown built-in dataset');
    await expect(loadDataFromArgs({ data: '' })).rejects.toThrow('--data: expected a file path');
  });
});
