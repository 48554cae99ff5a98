import { describe, expect, it } from 'vitest';
import { headerValue, shapeOf, titleRecords } from '../../../../../engine/csv/table-shape';

const titles = (text: string, delimiter = ','): number =>
  titleRecords(shapeOf(text, delimiter, true));

describe('titleRecords', () => {
  it('counts title lines above a header of the table width', () => {
    expect(titles('Report\nGenerated today\nuserName,displayName\na@x.io,A\nb@x.io,B\n')).toBe(2);
    expect(titles('Report,,\nuserName,displayName,dept\na@x.io,A,R\nb@x.io,B,S\n')).toBe(1);
  });

  it('a header followed by its rows has none', () => {
    expect(titles('userName,displayName\na@x.io,A\nb@x.io,B\n')).toBe(0);
    expect(titles('a,b,\n1,2,\n3,4,\n')).toBe(0);
    expect(titles('userName\nada\nbob\n')).toBe(0);
  });

  it('a damaged first data row or a wrong delimiter is not taken for a title', () => {
    // Header of 2, then rows of 3 and 2: no width stands out.
    expect(titles('userName,n\nada,1\nbob,2,3\n')).toBe(0);
    // Semicolons forced on a comma file: a few rows split on a ";" inside a cell.
    const file = 'h1,h2\nx,"a;b"\ny,c\nz,"d;e"\nw,f\nv,"g;h"\n';
    expect(titles(file, ';')).toBe(0);
  });

  it('needs rows below the header to judge', () => {
    expect(titles('Report\nuserName,displayName\n')).toBe(0);
  });
});

describe('headerValue', () => {
  it('a first line of values like the rows below: no header row', () => {
    const shapes = shapeOf('ada@x.io,Ada\nbob@x.io,Bob\n', ',', true);
    expect(headerValue(shapes, 0)).toBe('ada@x.io');
    expect(headerValue(shapeOf('1001,Ada\n1002,Bob\n', ',', true), 0)).toBe('1001');
  });

  it('column names are a header, even above values', () => {
    expect(headerValue(shapeOf('email,id\nada@x.io,1\n', ',', true), 0)).toBeUndefined();
    // A value in the header whose column below holds other kinds of values.
    expect(headerValue(shapeOf('2024,name\nada,x\nbob,y\n', ',', true), 0)).toBeUndefined();
  });
});
