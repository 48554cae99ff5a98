import { describe, expect, it } from 'vitest';
import { indexGeometry } from '../../../../engine/export/fast-list';

describe('indexGeometry', () => {
  it('keeps the asked count when the first page is full', () => {
    expect(indexGeometry(100, 100, 1000, undefined)).toEqual({ pageSize: 100, overlap: 1 });
  });

  it('takes a short first page as the server cap while more exist', () => {
    expect(indexGeometry(50, 200, 1000, 2)).toEqual({ pageSize: 50, overlap: 2 });
  });

  it('a short first page that is the whole list is no cap', () => {
    expect(indexGeometry(30, 100, 30, undefined)).toEqual({ pageSize: 100, overlap: 1 });
    expect(indexGeometry(0, 100, 5, undefined)).toEqual({ pageSize: 100, overlap: 1 });
  });

  it('caps the overlap below the page length and at zero, flooring fractions', () => {
    expect(indexGeometry(3, 10, 100, 7)).toEqual({ pageSize: 3, overlap: 2 });
    expect(indexGeometry(1, 10, 100, undefined)).toEqual({ pageSize: 1, overlap: 0 });
    expect(indexGeometry(10, 10, 100, -4)).toEqual({ pageSize: 10, overlap: 0 });
    expect(indexGeometry(10, 10, 100, 2.9)).toEqual({ pageSize: 10, overlap: 2 });
  });
});
