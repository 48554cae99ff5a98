/**
 * Date parsing for the `date` transform. A format is a pattern of tokens and separators:
 *
 * - `YYYY` four-digit year, `YY` two-digit year (00–49 → 20xx, 50–99 → 19xx);
 * - `M` / `MM` month number (one or two digits either way), `MMM` English month name or
 *   abbreviation (`Jan`, `January`);
 * - `D` / `DD` day of the month (one or two digits either way);
 * - anything else that is not a letter is a literal separator (`/`, `.`, `-`, space);
 * - `excelSerial`: an Excel serial day number (1900 date system), with an optional fraction of a
 *   day; `iso`: an alias of `YYYY-MM-DD`.
 *
 * Every format also accepts a trailing time, `[T| ]H:mm[:ss[.fff]] [AM|PM]`, and a zone, `Z` or
 * `±HH[:]MM`. A time without a zone is taken as UTC.
 */

/** A calendar date with an optional time, as parsed. */
export type ParsedDate = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC, when the value named a zone. */
  offset?: number;
};

/** Parses one value; undefined when it does not fit the format or is not a real date. */
export type DateParser = (value: string) => ParsedDate | undefined;

const MONTHS: readonly string[] = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const TIME_SUFFIX =
  '(?:(?:T|\\s+)(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,]\\d+)?)?\\s*([AaPp][Mm])?)?\\s*(Z|[+-]\\d{2}:?\\d{2})?';

type Token = 'YYYY' | 'YY' | 'MMM' | 'MM' | 'M' | 'DD' | 'D';
const TOKEN_RE = /YYYY|YY|MMM|MM|M|DD|D/y;

/** The tokens of a format, or a reason it is not one. */
function tokenize(format: string): { parts: string[] } | { error: string } {
  const parts: string[] = [];
  let i = 0;
  while (i < format.length) {
    TOKEN_RE.lastIndex = i;
    const m = TOKEN_RE.exec(format);
    if (m) {
      parts.push(m[0]);
      i += m[0].length;
      continue;
    }
    const c = format.charAt(i);
    if (/[A-Za-z0-9]/.test(c)) {
      return { error: `"${c}" is not a date token (use YYYY, YY, M, MM, MMM, D, DD)` };
    }
    parts.push(c);
    i++;
  }
  const count = (pred: (p: string) => boolean): number => parts.filter(pred).length;
  if (count((p) => p === 'YYYY' || p === 'YY') !== 1) return { error: 'it needs one year (YYYY)' };
  if (count((p) => p === 'M' || p === 'MM' || p === 'MMM') !== 1) {
    return { error: 'it needs one month (M, MM or MMM)' };
  }
  if (count((p) => p === 'D' || p === 'DD') !== 1) return { error: 'it needs one day (D or DD)' };
  return { parts };
}

/** Separators are never letters, so a part that starts with a capital is a token. */
function isToken(part: string): part is Token {
  return /^[A-Z]/.test(part);
}

/** Why a format is not valid, or undefined when it is. */
export function dateFormatError(format: string): string | undefined {
  if (format === 'excelSerial' || format === 'iso') return undefined;
  const t = tokenize(format);
  return 'error' in t ? t.error : undefined;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a format (see the file comment). Throws when the format is not valid. */
export function compileDateFormat(format: string): DateParser {
  if (format === 'excelSerial') return parseExcelSerial;
  const t = tokenize(format === 'iso' ? 'YYYY-MM-DD' : format);
  if ('error' in t) throw new Error(`The date format "${format}" is not valid: ${t.error}.`);
  const order: Token[] = [];
  let source = '^\\s*';
  for (const p of t.parts) {
    if (p === 'YYYY') source += '(\\d{4})';
    else if (p === 'YY') source += '(\\d{2})';
    else if (p === 'MMM') source += '([A-Za-z]{3,9})\\.?';
    else if (p === 'MM' || p === 'M' || p === 'DD' || p === 'D') source += '(\\d{1,2})';
    else source += p === ' ' ? '\\s+' : escapeRe(p);
    if (isToken(p)) order.push(p);
  }
  const re = new RegExp(`${source}${TIME_SUFFIX}\\s*$`);
  return (value) => {
    const m = re.exec(value);
    if (!m) return undefined;
    let year = NaN;
    let month = NaN;
    let day = NaN;
    for (let i = 0; i < order.length; i++) {
      const token = order[i];
      const text = m[i + 1] ?? '';
      if (token === 'YYYY') year = Number(text);
      else if (token === 'YY') year = twoDigitYear(Number(text));
      else if (token === 'MMM') month = monthNumber(text);
      else if (token === 'MM' || token === 'M') month = Number(text);
      else day = Number(text);
    }
    const k = order.length;
    return checkedDate(year, month, day, m[k + 1], m[k + 2], m[k + 3], m[k + 4], m[k + 5]);
  };
}

/** 00–49 → 2000–2049, 50–99 → 1950–1999. */
function twoDigitYear(yy: number): number {
  return yy < 50 ? 2000 + yy : 1900 + yy;
}

/** 1–12 for an English month name or an abbreviation of at least three letters, else NaN. */
function monthNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'sept') return 9;
  const i = MONTHS.findIndex((m) => m.startsWith(lower));
  return i >= 0 ? i + 1 : NaN;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Builds a {@link ParsedDate} from matched parts, or undefined when any part is out of range. */
function checkedDate(
  year: number,
  month: number,
  day: number,
  hourText: string | undefined,
  minuteText: string | undefined,
  secondText: string | undefined,
  ampm: string | undefined,
  zone: string | undefined,
): ParsedDate | undefined {
  if (!(year >= 1000 && year <= 9999) || !(month >= 1 && month <= 12)) return undefined;
  if (!(day >= 1 && day <= daysInMonth(year, month))) return undefined;
  let hour = hourText === undefined ? 0 : Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  const second = secondText === undefined ? 0 : Number(secondText);
  if (ampm !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    const pm = ampm.toLowerCase() === 'pm';
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date: ParsedDate = { year, month, day, hour, minute, second };
  if (zone !== undefined) {
    if (zone === 'Z') date.offset = 0;
    else {
      const digits = zone.replace(':', '');
      const sign = digits.startsWith('-') ? -1 : 1;
      const h = Number(digits.slice(1, 3));
      const mm = Number(digits.slice(3, 5));
      if (h > 23 || mm > 59) return undefined;
      date.offset = sign * (h * 60 + mm);
    }
  }
  return date;
}

const SERIAL_RE = /^\s*(\d{1,7})(?:\.(\d+))?\s*$/;
/** The last day Excel can show, 9999-12-31. */
const MAX_SERIAL = 2_958_465;

/**
 * An Excel 1900-system serial: 1 is 1900-01-01; Excel counts a 29 February 1900 that never was
 * (serial 60, refused here), so serials from 61 are one day later than a plain count.
 */
function parseExcelSerial(value: string): ParsedDate | undefined {
  const m = SERIAL_RE.exec(value);
  if (!m) return undefined;
  const days = Number(m[1]);
  if (days < 1 || days > MAX_SERIAL || days === 60) return undefined;
  const epoch = days < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const fraction = m[2] === undefined ? 0 : Number(`0.${m[2]}`);
  const seconds = Math.round(fraction * 86_400);
  const d = new Date(epoch + days * 86_400_000 + seconds * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD` (the date as written; a zone does not move it). */
export function formatIsoDate(d: ParsedDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** `YYYY-MM-DDTHH:mm:ssZ` in UTC (a value without a zone is taken as UTC). */
export function formatIsoDateTime(d: ParsedDate): string {
  const utc = Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second);
  const t = new Date(utc - (d.offset ?? 0) * 60_000);
  return (
    `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}` +
    `T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}Z`
  );
}
