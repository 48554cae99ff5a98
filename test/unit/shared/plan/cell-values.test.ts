import { describe, expect, it } from 'vitest';
import {
  dateTimeKey,
  parseIntegerCell,
  parseNumberCell,
  sameValue,
  typedValue,
} from '../../../../engine/plan/cell-values';

describe('cell values', () => {
  it('converts cells to the attribute type, leaving text that does not parse', () => {
    expect(typedValue('TRUE', 'boolean')).toBe(true);
    expect(typedValue('yes', 'boolean')).toBe('yes');
    expect(typedValue('-12', 'integer')).toBe(-12);
    expect(typedValue('1.25', 'decimal')).toBe(1.25);
    expect(typedValue('1e999', 'decimal')).toBe('1e999');
    expect(typedValue('007', 'string')).toBe('007');
    expect(typedValue('2024-01-01T00:00:00Z', 'dateTime')).toBe('2024-01-01T00:00:00Z');
  });

  it('parses numbers strictly', () => {
    expect(parseNumberCell('+1')).toBeUndefined();
    expect(parseNumberCell(' 1')).toBeUndefined();
    expect(parseNumberCell('1,5')).toBeUndefined();
    expect(parseIntegerCell('9007199254740993')).toBeUndefined();
    expect(parseIntegerCell('42')).toBe(42);
  });

  it('compares by type', () => {
    expect(sameValue('True', 'true', 'boolean')).toBe(true);
    expect(sameValue('1.0', '1', 'decimal')).toBe(true);
    expect(sameValue('1e3', '1000', 'integer')).toBe(true);
    expect(sameValue('01', '1', 'string')).toBe(false);
    expect(sameValue('Ada', 'ada', 'string')).toBe(false);
    expect(sameValue('2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z', 'dateTime')).toBe(true);
    expect(sameValue('2024-01-01T02:00:00+02:00', '2024-01-01T00:00:00Z', 'dateTime')).toBe(true);
    expect(sameValue('2024-01-01T00:00:00', '2024-01-01T00:00:00Z', 'dateTime')).toBe(true);
    expect(sameValue('2024-01-01T00:00:00.1Z', '2024-01-01T00:00:00.10Z', 'dateTime')).toBe(true);
    expect(sameValue('2024-01-01T00:00:00.1Z', '2024-01-01T00:00:00.01Z', 'dateTime')).toBe(false);
    expect(sameValue('soon', 'Soon', 'dateTime')).toBe(false);
  });

  it('validates dateTimes', () => {
    expect(dateTimeKey('2024-02-29T23:59:59Z')).toBeDefined();
    expect(dateTimeKey('0099-01-01T00:00:00Z')).toBeDefined();
    expect(dateTimeKey('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(dateTimeKey('2024-01-01')).toBeUndefined();
    expect(dateTimeKey('2024-01-01T24:00:00Z')).toBeUndefined();
    expect(dateTimeKey('2024-01-01T00:00:00+15:00')).toBeUndefined();
    expect(dateTimeKey('2024-01-01 00:00:00Z')).toBeUndefined();
  });
});
