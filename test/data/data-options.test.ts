import { describe, expect, it } from 'vitest';
import { loadDataFromArgs } from '../../src/cli/data-options.js';
import { tmpFile } from './helpers.js';

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
