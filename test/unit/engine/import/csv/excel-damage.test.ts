import { describe, expect, it } from 'vitest';
import {
  ExcelDamageDetector,
  excelSerialToIso,
  isDateNamed,
} from '../../../../../engine/csv/excel-damage';

function detect(headers: string[], rows: string[][]): ExcelDamageDetector {
  const d = new ExcelDamageDetector(headers);
  rows.forEach((cells, i) => {
    d.observe(cells, i + 1, i + 2);
  });
  return d;
}

const column = (values: string[]): string[][] => values.map((v) => [v]);

describe('ExcelDamageDetector', () => {
  it('no warnings for clean data', () => {
    const d = detect(
      ['employeeNumber', 'hireDate', 'postalCode', 'phone'],
      [
        ['000123', '2024-01-31', '12345', '+1 555 0100'],
        ['004567', '2024-02-29T08:00:00Z', '54321', '-'],
        ['123456', '2023-12-01', '99999', '555-0101'],
      ],
    );
    expect(d.problems('u.csv')).toEqual([]);
  });

  it('lost leading zeros: count and first example of the shorter values', () => {
    const d = detect(['id'], column(['00042', '7', '01234', '00999', '42', '12345']));
    expect(d.problems('/d/u.csv')).toEqual([
      {
        file: '/d/u.csv',
        line: 3,
        row: 2,
        column: 'id',
        value: '7',
        code: 'excel_leading_zeros',
        severity: 'warning',
        message:
          'Column "id" of u.csv holds 5-digit zero-padded numbers, but 2 values are shorter, first "7" on line 3 (row 2): Excel probably removed their leading zeros.',
        nextStep:
          'Fix the values in the file (or export it again) and, if you edit it in Excel, open it with Data › From Text/CSV and set this column to Text.',
      },
    ]);
  });

  it('no lost-zeros warning with a single padded value or without a dominant width', () => {
    expect(detect(['id'], column(['0042', '7', '12'])).problems('u.csv')).toEqual([]);
    expect(
      detect(['id'], column(['0042', '0043', '7', '12', '123', '99', '5'])).problems('u.csv'),
    ).toEqual([]);
  });

  it('scientific notation as Excel writes it (E+), not other exponents or text', () => {
    const d = detect(['externalId'], column(['1.23457E+11', '-4E+20', '1e5', '2.5E-3', 'E+11']));
    const [p] = d.problems('u.csv');
    expect(d.problems('u.csv')).toHaveLength(1);
    expect(p).toMatchObject({ code: 'excel_scientific', value: '1.23457E+11', row: 1 });
    expect(p?.message).toContain('has 2 values in scientific notation');
  });

  it('mixed date formats need ISO dates in the column', () => {
    expect(detect(['d'], column(['1/31/2024', '2/1/2024'])).problems('u.csv')).toEqual([]);
    const d = detect(['d'], column(['2024-01-31', '31.01.2024', '1/31/24 13:05']));
    expect(d.problems('u.csv').map((p) => [p.code, p.value, p.row])).toEqual([
      ['excel_date_format', '31.01.2024', 2],
    ]);
    expect(d.problems('u.csv')[0]?.message).toContain('2 values such as "31.01.2024"');
  });

  it('Excel serial dates only in date-named columns and in a plausible range', () => {
    expect(detect(['employeeNumber'], column(['45322'])).problems('u.csv')).toEqual([]);
    expect(detect(['hireDate'], column(['12345', '99999'])).problems('u.csv')).toEqual([]);
    const [p] = detect(['meta.created'], column(['45322.5'])).problems('u.csv');
    expect(p).toMatchObject({ code: 'excel_date_serial', value: '45322.5' });
    expect(p?.message).toContain('(which Excel means as 2024-01-31)');
  });

  it('reports once per column and kind, in column order', () => {
    const d = detect(
      ['a', 'b'],
      [
        ['1.5E+10', '1.5E+10'],
        ['2.5E+10', 'x'],
      ],
    );
    expect(d.problems('u.csv').map((p) => [p.column, p.code])).toEqual([
      ['a', 'excel_scientific'],
      ['b', 'excel_scientific'],
    ]);
  });
});

describe('helpers', () => {
  it('isDateNamed splits camelCase, dots and underscores', () => {
    expect(
      ['hireDate', 'meta.lastModified', 'valid_until', 'Start Date', 'createdAt'].map(isDateNamed),
    ).toEqual([true, true, true, true, true]);
    expect(
      ['gender', 'department', 'employeeNumber', 'userName', 'timezone'].map(isDateNamed),
    ).toEqual([false, false, false, false, false]);
  });

  it('excelSerialToIso', () => {
    expect(excelSerialToIso(45322)).toBe('2024-01-31');
    expect(excelSerialToIso(1)).toBe('1899-12-31');
    expect(excelSerialToIso(61.75)).toBe('1900-03-01');
  });
});
