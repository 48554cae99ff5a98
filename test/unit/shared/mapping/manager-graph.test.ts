import { describe, expect, it } from 'vitest';
import { findManagerCycles } from '../../../../engine/mapping/manager-graph';

describe('findManagerCycles', () => {
  it('finds no cycle in a tree', () => {
    expect(
      findManagerCycles([
        ['b', 'a'],
        ['c', 'a'],
        ['d', 'b'],
        ['a', 'ceo'],
      ]),
    ).toEqual([]);
    expect(findManagerCycles([])).toEqual([]);
  });

  it('finds self-loops, pairs and longer cycles once each, from their smallest key', () => {
    expect(
      findManagerCycles([
        ['x', 'x'],
        ['b', 'a'],
        ['a', 'b'],
        ['q', 'r'],
        ['r', 's'],
        ['s', 'p'],
        ['p', 'q'],
        ['t', 'q'],
        ['u', 't'],
      ]),
    ).toEqual([['a', 'b'], ['p', 'q', 'r', 's'], ['x']]);
  });

  it('accepts any iterable and uses the last manager of an employee', () => {
    function* edges(): Generator<[string, string]> {
      yield ['a', 'b'];
      yield ['b', 'a'];
      yield ['b', 'c'];
    }
    expect(findManagerCycles(edges())).toEqual([]);
  });

  it('handles long chains without recursion', () => {
    const edges: [string, string][] = [];
    for (let i = 0; i < 200_000; i++) edges.push([`e${i}`, `e${i + 1}`]);
    expect(findManagerCycles(edges)).toEqual([]);
    edges.push(['e200000', 'e0']);
    expect(findManagerCycles(edges)).toHaveLength(1);
    expect(findManagerCycles(edges)[0]).toHaveLength(200_001);
  });
});
