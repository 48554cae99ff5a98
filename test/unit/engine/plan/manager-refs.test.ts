import { describe, expect, it } from 'vitest';
import { createManagerRefs } from '../../../../engine/plan/manager-refs';

/** Notes one row per edge [employee, manager] (rows 1, 2, …) and returns the cycles found. */
function cycles(edges: Iterable<readonly [string, string]>): number[][] {
  const refs = createManagerRefs({ file: 'hr.csv', keyIndex: -1, caseExact: false });
  let row = 0;
  for (const [own, manager] of edges) refs.noteRow(++row, own, manager);
  return refs.cycles();
}

describe('manager cycles (createManagerRefs)', () => {
  it('finds no cycle in a tree', () => {
    expect(
      cycles([
        ['b', 'a'],
        ['c', 'a'],
        ['d', 'b'],
        ['a', 'ceo'],
      ]),
    ).toEqual([]);
    expect(cycles([])).toEqual([]);
  });

  it('finds self-loops, pairs and longer cycles once each, from their smallest row', () => {
    expect(
      cycles([
        ['x', 'x'], // row 1
        ['b', 'a'], // 2
        ['a', 'b'], // 3
        ['q', 'r'], // 4
        ['r', 's'], // 5
        ['s', 'p'], // 6
        ['p', 'q'], // 7
        ['t', 'q'], // 8: reports into the cycle, not part of it
        ['u', 't'], // 9
      ]),
    ).toEqual([[1], [2, 3], [4, 5, 6, 7]]);
  });

  it('compares keys as matching does (case-insensitive, trimmed)', () => {
    expect(
      cycles([
        ['Alice', 'BOB'],
        ['bob', ' alice'],
      ]),
    ).toEqual([[1, 2]]);
  });

  it('follows a manager key to the last row that has it', () => {
    expect(
      cycles([
        ['a', 'b'],
        ['b', 'a'],
        ['b', 'c'],
      ]),
    ).toEqual([]);
  });

  it('finishes reports the same cycles', () => {
    const refs = createManagerRefs({ file: 'hr.csv', keyIndex: -1, caseExact: false });
    refs.noteRow(7, 'a', 'b');
    refs.noteRow(3, 'b', 'a');
    expect(refs.finish().cycles).toEqual([[3, 7]]);
  });

  it('handles long chains without recursion', () => {
    const edges: [string, string][] = [];
    for (let i = 0; i < 200_000; i++) edges.push([`e${i}`, `e${i + 1}`]);
    expect(cycles(edges)).toEqual([]);
    edges.push(['e200000', 'e0']);
    const found = cycles(edges);
    expect(found).toHaveLength(1);
    expect(found[0]).toHaveLength(200_001);
    expect(found[0]?.[0]).toBe(1);
  });
});
