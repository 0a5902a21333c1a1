import DataLoader from 'dataloader';
import { LoadWaves, waveLoader } from '../../src/common/load-waves';

/** A batch function that answers `key!` for each key after `ms`, and records the batches it got. */
function answersAfter(ms: number, batches: string[][]) {
  return async (keys: readonly string[]) => {
    batches.push([...keys]);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return keys.map((key) => `${key}!`);
  };
}

/** Two loaders answering at different moments, and the loads their answers lead to. */
async function levels(make: (batch: (keys: readonly string[]) => Promise<string[]>) => DataLoader<string, string>) {
  const below: string[][] = [];
  const quick = make(answersAfter(1, []));
  const slow = make(answersAfter(40, []));
  const next = make(answersAfter(1, below));
  const values = await Promise.all([quick.load('a').then((v) => next.load(v)), slow.load('b').then((v) => next.load(v))]);
  return { values, below };
}

describe('load waves', () => {
  it('sends the keys a level asks for after answers at different moments as one batch', async () => {
    const waves = new LoadWaves();
    const { values, below } = await levels((batch) => waveLoader(waves, batch));
    expect(values).toEqual(['a!!', 'b!!']);
    expect(below).toEqual([['a!', 'b!']]);
  });

  it('is needed: DataLoader alone sends them in two batches', async () => {
    const { below } = await levels((batch) => new DataLoader(batch));
    expect(below).toEqual([['a!'], ['b!']]);
  });

  it('batches the keys of one tick as DataLoader does', async () => {
    const waves = new LoadWaves();
    const batches: string[][] = [];
    const loader = waveLoader(waves, answersAfter(1, batches));
    expect(await Promise.all([loader.load('x'), loader.load('y'), loader.load('x')])).toEqual(['x!', 'y!', 'x!']);
    expect(batches).toEqual([['x', 'y']]);
  });

  it('lets a batch function load from another loader of the request without waiting for its own end', async () => {
    const waves = new LoadWaves();
    const inner = waveLoader(waves, answersAfter(1, []));
    const outer = waveLoader<string, string>(waves, (keys) => Promise.all(keys.map((key) => inner.load(key))));
    expect(await outer.load('k')).toBe('k!');
  });

  it('passes a failed batch on to its keys and goes on with the next wave', async () => {
    const waves = new LoadWaves();
    const failing = waveLoader<string, string>(waves, () => Promise.reject(new Error('lost connection')));
    const working = waveLoader(waves, answersAfter(1, []));
    await expect(failing.load('a')).rejects.toThrow('lost connection');
    expect(await working.load('b')).toBe('b!');
  });
});
