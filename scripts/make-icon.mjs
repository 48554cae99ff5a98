// Draws the SCIM Porter app icon and writes it as PNG, ICO and ICNS, with no dependencies:
// shapes are signed-distance functions, supersampled for anti-aliasing, and the files are
// assembled by hand (PNG chunks via node:zlib; ICO and ICNS just wrap PNG images).
//
//   node scripts/make-icon.mjs          → resources/icon.png (512), icon.ico, icon.icns
//
// The mark: a rounded square in the app's accent blue (--accent of renderer/src/styles.css)
// carrying a geometric "S" (two stacked open rings) and "P" (stem and bowl) in white.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, 'resources');

// ---- geometry, on a 512-unit canvas -------------------------------------------------------
const ACCENT_TOP = [0x35, 0x68, 0xe6]; // a little lighter than --accent #2557d6
const ACCENT_BOTTOM = [0x1f, 0x48, 0xbf]; // a little darker
const INK = [0xff, 0xff, 0xff];

const MARGIN = 24; // transparent border around the square
const RADIUS = 104; // corner radius of the square
const STROKE = 44; // letter stroke width
const HALF = STROKE / 2;
const TOP = 145; // centre line of the letters' top stroke
const BOTTOM = 367; // centre line of the bottom stroke
const RING = (BOTTOM - TOP) / 4; // centre-line radius of each half of the S
const S_X = 160.5; // centre of the S
const P_STEM = 300; // centre line of the P's stem
const P_BOWL_R = 62; // centre-line radius of the P's bowl
const P_BOWL_Y = TOP + P_BOWL_R;
const P_BOWL_X = 345; // centre of the bowl's round part

const hypot = Math.hypot;

/** Distance to a rounded box centred on the canvas (negative inside). */
function roundedSquare(x, y) {
  const h = 256 - MARGIN - RADIUS;
  const qx = Math.abs(x - 256) - h;
  const qy = Math.abs(y - 256) - h;
  return hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - RADIUS;
}

/** Distance to the segment a–b. */
function segment(x, y, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return hypot(x - ax - t * dx, y - ay - t * dy);
}

/**
 * Distance to the centre line of a ring of radius r around (cx, cy), leaving out one quadrant
 * (`gap`: 'br' bottom-right or 'tl' top-left, in screen coordinates); the open ends get round
 * caps because the distance there is measured to the end points.
 */
function openRing(x, y, cx, cy, r, gap) {
  const dx = x - cx;
  const dy = y - cy;
  const inGap = gap === 'br' ? dx > 0 && dy > 0 : dx < 0 && dy < 0;
  if (!inGap) return Math.abs(hypot(dx, dy) - r);
  const ends = gap === 'br' ? [cx + r, cy, cx, cy + r] : [cx - r, cy, cx, cy - r];
  return Math.min(hypot(x - ends[0], y - ends[1]), hypot(x - ends[2], y - ends[3]));
}

/** Distance to the centre lines of the "SP" letters. */
function letters(x, y) {
  const s = Math.min(
    openRing(x, y, S_X, TOP + RING, RING, 'br'),
    openRing(x, y, S_X, BOTTOM - RING, RING, 'tl'),
  );
  const stem = segment(x, y, P_STEM, TOP, P_STEM, BOTTOM);
  const top = segment(x, y, P_STEM, TOP, P_BOWL_X, TOP);
  const bottom = segment(x, y, P_STEM, TOP + 2 * P_BOWL_R, P_BOWL_X, TOP + 2 * P_BOWL_R);
  const bowl =
    x >= P_BOWL_X ? Math.abs(hypot(x - P_BOWL_X, y - P_BOWL_Y) - P_BOWL_R) : Math.min(top, bottom);
  return Math.min(s, stem, top, bottom, bowl);
}

/** Colour (premultiplied, 0–1 alpha) at one point of the 512 canvas. */
function sample(x, y) {
  if (roundedSquare(x, y) > 0) return [0, 0, 0, 0];
  if (letters(x, y) <= HALF) return [...INK, 1];
  const t = (y - MARGIN) / (512 - 2 * MARGIN);
  return [...ACCENT_TOP.map((c, i) => c + (ACCENT_BOTTOM[i] - c) * t), 1];
}

/** RGBA pixels of the icon at `size` px, supersampled n×n per pixel. */
export function render(size, n = 4) {
  const px = Buffer.alloc(size * size * 4);
  const scale = 512 / size;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const [cr, cg, cb, ca] = sample(
            (i + (sx + 0.5) / n) * scale,
            (j + (sy + 0.5) / n) * scale,
          );
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const o = (j * size + i) * 4;
      px[o] = a ? Math.round(r / a) : 0;
      px[o + 1] = a ? Math.round(g / a) : 0;
      px[o + 2] = a ? Math.round(b / a) : 0;
      px[o + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return px;
}

// ---- file formats -----------------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG. */
export function png(size, pixels) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A Windows .ico holding PNG images (supported since Windows Vista). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, k) => {
    const e = 6 + 16 * k;
    header[e] = size >= 256 ? 0 : size; // 0 means 256
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

/** A macOS .icns holding PNG images (ic07 128, ic08 256, ic09 512, ic10 1024 px). */
function icns(images) {
  const types = { 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' };
  const parts = images.map(({ size, data }) => {
    const head = Buffer.alloc(8);
    head.write(types[size], 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

// ---- main -----------------------------------------------------------------------------------
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cache = new Map();
  const image = (size) => {
    if (!cache.has(size)) cache.set(size, { size, data: png(size, render(size)) });
    return cache.get(size);
  };
  mkdirSync(out, { recursive: true });
  const files = {
    'icon.png': image(512).data,
    'icon.ico': ico([16, 24, 32, 48, 64, 128, 256].map(image)),
    'icon.icns': icns([128, 256, 512, 1024].map(image)),
  };
  for (const [name, data] of Object.entries(files)) {
    writeFileSync(resolve(out, name), data);
    process.stdout.write(`wrote resources/${name} (${data.length} bytes)\n`);
  }
}
