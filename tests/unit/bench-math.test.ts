import { FrontendMessageCounter } from '../../bench/pg-counter';
import { median, percentile, ratio, seededShuffle } from '../../bench/stats';

describe('bench arithmetic', () => {
  it('takes the median of odd and even counts and ignores non-finite values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });

  it('takes percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 1)).toBe(7);
  });

  it('gives project ÷ limit, and NaN rather than Infinity when the limit measured nothing', () => {
    expect(ratio(50, 1000)).toBe(0.05);
    expect(ratio(10, 0)).toBeNaN();
    expect(ratio(NaN, 10)).toBeNaN();
  });

  it('shuffles the same way for the same seed and differently for another', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(seededShuffle(items, 13)).toEqual(seededShuffle(items, 13));
    expect(seededShuffle(items, 13)).not.toEqual(seededShuffle(items, 14));
    expect([...seededShuffle(items, 13)].sort((a, b) => a - b)).toEqual(items);
  });
});

/** A frontend message: type byte, int32 length (itself included), body. */
function message(type: string, body = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

function startup(): Buffer {
  const body = Buffer.from('user\0root\0\0');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, body]);
}

describe('statement counter', () => {
  it('counts simple queries and executes, not parse, bind, describe or sync', () => {
    const counter = new FrontendMessageCounter();
    counter.push(startup());
    counter.push(message('Q', Buffer.from('select 1\0')));
    counter.push(Buffer.concat([message('P', Buffer.from('s1\0select $1\0\0\0')), message('B'), message('D'), message('E'), message('S')]));
    expect(counter.statements).toBe(2);
  });

  it('counts messages split across chunks at any byte', () => {
    const stream = Buffer.concat([startup(), message('E'), message('S'), message('Q', Buffer.from('select 2\0')), message('E')]);
    for (let cut = 1; cut < stream.length; cut++) {
      const counter = new FrontendMessageCounter();
      counter.push(stream.subarray(0, cut));
      counter.push(stream.subarray(cut));
      expect(counter.statements).toBe(3);
    }
  });
});
