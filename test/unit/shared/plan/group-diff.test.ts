import { describe, expect, it } from 'vitest';
import { diffGroups, groupNameKey } from '../../../../engine/resources/group-diff';

const directory: Record<string, string> = { engineering: 'g1', sales: 'g2', 'ρ&d': 'g3' };
const known = (display: string): { id: string } | undefined => {
  const id = directory[groupNameKey(display)];
  return id === undefined ? undefined : { id };
};

describe('diffGroups', () => {
  it('changes nothing when the row says nothing about groups', () => {
    expect(diffGroups(undefined, [{ value: 'g1', display: 'Engineering' }], 'sync', known)).toEqual(
      {
        add: [],
        remove: [],
      },
    );
  });

  it('adds missing groups with their ids; unknown groups have none (will be created)', () => {
    expect(diffGroups(['Engineering', 'Sales', 'New Team'], [], 'add', known)).toEqual({
      add: [
        { display: 'Engineering', id: 'g1' },
        { display: 'Sales', id: 'g2' },
        { display: 'New Team' },
      ],
      remove: [],
    });
  });

  it('compares names case-insensitively after NFC and trimming, ignoring blanks and repeats', () => {
    const current = [{ value: 'g1', display: 'engineering' }];
    const decomposed = 'Ρ&D'.normalize('NFD');
    expect(
      diffGroups([' ENGINEERING ', 'Engineering', '', '  ', decomposed], current, 'add', known),
    ).toEqual({ add: [{ display: decomposed, id: 'g3' }], remove: [] });
    expect(groupNameKey('Cafe\u0301 ')).toBe(groupNameKey('café'));
  });

  it('only adds in add mode; removes unnamed groups in sync mode', () => {
    const current = [
      { value: 'g1', display: 'Engineering' },
      { value: 'g9', display: 'Old Team' },
    ];
    expect(diffGroups(['Sales'], current, 'add', known)).toEqual({
      add: [{ display: 'Sales', id: 'g2' }],
      remove: [],
    });
    expect(diffGroups(['Sales', 'engineering'], current, 'sync', known)).toEqual({
      add: [{ display: 'Sales', id: 'g2' }],
      remove: [{ display: 'Old Team', id: 'g9' }],
    });
    expect(diffGroups([], current, 'sync', known)).toEqual({
      add: [],
      remove: [
        { display: 'Engineering', id: 'g1' },
        { display: 'Old Team', id: 'g9' },
      ],
    });
  });

  it('matches a current group by id when its name differs or is missing', () => {
    const current = [{ value: 'g2', display: 'g2' }];
    expect(diffGroups(['Sales'], current, 'sync', known)).toEqual({ add: [], remove: [] });
  });
});
