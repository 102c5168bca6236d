/**
 * `setNewest`, the bound of every in-process cache: a map holds at most `max` entries, the oldest go first, and
 * setting a key again makes it the newest.
 */
import { expect } from 'chai';
import { setNewest } from '../src/bounded-map.js';

describe('setNewest', () => {
  it('keeps at most max entries, dropping the oldest first', () => {
    const map = new Map<string, number>();
    for (let i = 0; i < 5; i += 1) setNewest(map, `k${i}`, i, 3);
    expect([...map]).to.deep.equal([
      ['k2', 2],
      ['k3', 3],
      ['k4', 4],
    ]);
  });

  it('makes a key set again the newest, without dropping another while there is room', () => {
    const map = new Map<string, number>();
    setNewest(map, 'a', 1, 3);
    setNewest(map, 'b', 2, 3);
    setNewest(map, 'a', 3, 3);
    expect([...map]).to.deep.equal([
      ['b', 2],
      ['a', 3],
    ]);
    setNewest(map, 'c', 4, 3);
    setNewest(map, 'd', 5, 3);
    expect([...map.keys()]).to.deep.equal(['a', 'c', 'd']);
  });

  it('brings a map over its bound (a smaller max than before) down to it', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ]);
    setNewest(map, 'e', 5, 2);
    expect([...map.keys()]).to.deep.equal(['d', 'e']);
  });
});
