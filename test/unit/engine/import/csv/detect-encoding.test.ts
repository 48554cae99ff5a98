import { describe, expect, it } from 'vitest';
import {
  bomLengthFor,
  detectEncoding,
  isValidUtf8,
  utf16ByNulPattern,
} from '../../../../../engine/csv/detect-encoding';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const text = (s: string, enc: BufferEncoding = 'utf8'): Uint8Array => Buffer.from(s, enc);

describe('detectEncoding', () => {
  it('a byte-order mark decides', () => {
    expect(detectEncoding(bytes(0xef, 0xbb, 0xbf, 0x61), true)).toEqual({
      encoding: 'utf-8',
      bomLength: 3,
    });
    expect(detectEncoding(bytes(0xff, 0xfe, 0x61, 0), true)).toEqual({
      encoding: 'utf-16le',
      bomLength: 2,
    });
    expect(detectEncoding(bytes(0xfe, 0xff, 0, 0x61), true)).toEqual({
      encoding: 'utf-16be',
      bomLength: 2,
    });
  });

  it('UTF-16 without a BOM by the NUL pattern', () => {
    const le = Buffer.from('userName,displayName\r\n', 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(detectEncoding(le, true)).toEqual({ encoding: 'utf-16le', bomLength: 0 });
    expect(detectEncoding(be, true)).toEqual({ encoding: 'utf-16be', bomLength: 0 });
  });

  it('NULs without the pattern are not UTF-16 (binary data stays utf-8/1252)', () => {
    expect(utf16ByNulPattern(bytes(0, 0, 0, 0, 0x41, 0x42, 0, 0))).toBeUndefined();
    expect(utf16ByNulPattern(bytes(0x41, 0))).toBeUndefined(); // too short to judge
  });

  it('valid UTF-8 is UTF-8, anything else Windows-1252', () => {
    expect(detectEncoding(text('Zoë,Müller\n'), true).encoding).toBe('utf-8');
    expect(detectEncoding(text('plain ascii\n'), true).encoding).toBe('utf-8');
    expect(detectEncoding(bytes(0x4a, 0x6f, 0x73, 0xe9, 0x0a), true).encoding).toBe('windows-1252');
  });

  it('a multi-byte sequence cut by the end of the head does not count against UTF-8', () => {
    const cut = text('caf€').subarray(0, 5); // 'caf' + 2 of the 3 bytes of €
    expect(isValidUtf8(cut, false)).toBe(true);
    expect(isValidUtf8(cut, true)).toBe(false);
    expect(detectEncoding(cut, false).encoding).toBe('utf-8');
    expect(detectEncoding(cut, true).encoding).toBe('windows-1252');
  });
});

describe('bomLengthFor (forced encoding)', () => {
  it('skips only a BOM of the forced encoding', () => {
    const utf8Bom = bytes(0xef, 0xbb, 0xbf, 0x61);
    expect(bomLengthFor(utf8Bom, 'utf-8')).toBe(3);
    expect(bomLengthFor(utf8Bom, 'windows-1252')).toBe(0);
    expect(bomLengthFor(bytes(0xff, 0xfe, 0x61, 0), 'utf-16le')).toBe(2);
    expect(bomLengthFor(bytes(0x61), 'utf-16be')).toBe(0);
  });
});
