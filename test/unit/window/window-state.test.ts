import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createWindowStateSaver,
  DEFAULT_WINDOW_STATE,
  fitWindowState,
  loadWindowState,
  MIN_SIZE,
  parseWindowState,
  serializeWindowState,
  WINDOW_STATE_FILE,
  type Rect,
  type WindowState,
} from '../../../electron/main/policy/window-state';

const PRIMARY: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const RIGHT: Rect = { x: 1920, y: 0, width: 1280, height: 1024 };
const LAPTOP: Rect = { x: 0, y: 25, width: 1440, height: 875 };

describe('parseWindowState', () => {
  it('accepts what serializeWindowState writes', () => {
    const state: WindowState = { x: -5, y: 30, width: 1000, height: 700, maximized: true };
    expect(parseWindowState(JSON.parse(serializeWindowState(state)))).toEqual(state);
  });

  it('keeps a state without a position', () => {
    expect(parseWindowState({ version: 1, width: 900, height: 600, maximized: false })).toEqual({
      width: 900,
      height: 600,
      maximized: false,
    });
  });

  it('drops half a position', () => {
    expect(
      parseWindowState({ version: 1, x: 10, width: 900, height: 600, maximized: false }),
    ).toEqual({ width: 900, height: 600, maximized: false });
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'big'],
    ['another version', { version: 2, width: 900, height: 600, maximized: false }],
    ['no version', { width: 900, height: 600, maximized: false }],
    ['a zero width', { version: 1, width: 0, height: 600, maximized: false }],
    ['a negative height', { version: 1, width: 900, height: -1, maximized: false }],
    ['a string size', { version: 1, width: '900', height: 600, maximized: false }],
    ['no maximized flag', { version: 1, width: 900, height: 600 }],
  ])('rejects %s', (_what, value) => {
    expect(parseWindowState(value)).toBeUndefined();
  });

  it('rounds fractional pixels when saving', () => {
    const json = JSON.parse(
      serializeWindowState({ x: 1.4, y: 2.6, width: 999.5, height: 700.2, maximized: false }),
    ) as unknown;
    expect(json).toEqual({ version: 1, x: 1, y: 3, width: 1000, height: 700, maximized: false });
  });
});

describe('fitWindowState', () => {
  it('uses 1280x840, placed by the OS, when nothing was saved', () => {
    expect(fitWindowState(undefined, [PRIMARY])).toEqual({
      width: 1280,
      height: 840,
      maximized: false,
    });
    expect(DEFAULT_WINDOW_STATE).toEqual({ width: 1280, height: 840, maximized: false });
  });

  it('shrinks the default to a small screen', () => {
    expect(fitWindowState(undefined, [{ x: 0, y: 0, width: 1024, height: 728 }])).toEqual({
      width: 1024,
      height: 728,
      maximized: false,
    });
  });

  it('keeps a saved window that is fully visible', () => {
    const saved = { x: 100, y: 50, width: 1200, height: 800, maximized: false };
    expect(fitWindowState(saved, [PRIMARY, RIGHT])).toEqual(saved);
  });

  it('keeps a window on the second display', () => {
    const saved = { x: 2000, y: 100, width: 1000, height: 700, maximized: true };
    expect(fitWindowState(saved, [PRIMARY, RIGHT])).toEqual(saved);
  });

  it('drops the position when the display it was on is gone', () => {
    const saved = { x: 2000, y: 100, width: 1000, height: 700, maximized: false };
    expect(fitWindowState(saved, [PRIMARY])).toEqual({
      width: 1000,
      height: 700,
      maximized: false,
    });
  });

  it('moves a window that hangs off the edge back onto its display', () => {
    const saved = { x: 1500, y: 900, width: 1000, height: 700, maximized: false };
    expect(fitWindowState(saved, [PRIMARY])).toEqual({
      x: 920,
      y: 340,
      width: 1000,
      height: 700,
      maximized: false,
    });
  });

  it('moves a window whose title bar is above the work area (under the macOS menu bar)', () => {
    const saved = { x: 100, y: 0, width: 1000, height: 700, maximized: false };
    expect(fitWindowState(saved, [LAPTOP])).toMatchObject({ x: 100, y: 25 });
  });

  it('treats a sliver of overlap as off-screen', () => {
    const saved = { x: 1900, y: 100, width: 1000, height: 700, maximized: false };
    // 20 px on the primary display, nothing else: centre it instead.
    expect(fitWindowState(saved, [PRIMARY])).toEqual({
      width: 1000,
      height: 700,
      maximized: false,
    });
  });

  it('picks the display holding most of the window and shrinks the window to fit it', () => {
    const saved = { x: 1700, y: 0, width: 1900, height: 1200, maximized: false };
    // 220 px on the primary, 1280 on the right display → right display, clamped to its size.
    expect(fitWindowState(saved, [PRIMARY, RIGHT])).toEqual({
      x: 1920,
      y: 0,
      width: 1280,
      height: 1024,
      maximized: false,
    });
  });

  it('never goes below the minimum size', () => {
    const saved = { x: 10, y: 10, width: 100, height: 50, maximized: false };
    expect(fitWindowState(saved, [PRIMARY])).toEqual({
      x: 10,
      y: 10,
      width: MIN_SIZE.width,
      height: MIN_SIZE.height,
      maximized: false,
    });
  });

  it('copes with no display information', () => {
    const saved = { x: 10, y: 10, width: 5000, height: 100, maximized: true };
    expect(fitWindowState(saved, [])).toEqual({
      width: 5000,
      height: MIN_SIZE.height,
      maximized: true,
    });
  });

  it('handles displays left of and above the primary (negative coordinates)', () => {
    const left: Rect = { x: -1280, y: -200, width: 1280, height: 1024 };
    const saved = { x: -1200, y: -150, width: 1000, height: 700, maximized: false };
    expect(fitWindowState(saved, [PRIMARY, left])).toEqual(saved);
  });
});

describe('loadWindowState', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'window-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is undefined when there is no file', async () => {
    expect(await loadWindowState(dir)).toBeUndefined();
  });

  it('is undefined for corrupt JSON or an invalid shape', async () => {
    await writeFile(join(dir, WINDOW_STATE_FILE), '{ not json');
    expect(await loadWindowState(dir)).toBeUndefined();
    await writeFile(join(dir, WINDOW_STATE_FILE), '{"version":1,"width":-3}');
    expect(await loadWindowState(dir)).toBeUndefined();
  });

  it('reads what the saver wrote', async () => {
    const saver = createWindowStateSaver({ dataDir: dir });
    const state = { x: 40, y: 60, width: 1100, height: 750, maximized: true };
    await saver.flush(state);
    expect(await loadWindowState(dir)).toEqual(state);
  });
});

describe('createWindowStateSaver', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const state = (width: number): WindowState => ({
    x: 0,
    y: 0,
    width,
    height: 700,
    maximized: false,
  });
  function recorder() {
    const writes: { path: string; data: WindowState | undefined }[] = [];
    const write = vi.fn((path: string, data: string) => {
      writes.push({ path, data: parseWindowState(JSON.parse(data)) });
      return Promise.resolve();
    });
    return { writes, write };
  }

  it('writes once after the user stops resizing', async () => {
    const { writes, write } = recorder();
    const saver = createWindowStateSaver({ dataDir: '/data', delayMs: 400, write });
    for (let w = 800; w <= 1000; w += 50) {
      saver.schedule(state(w));
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(write).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(400);
    expect(writes).toEqual([{ path: join('/data', WINDOW_STATE_FILE), data: state(1000) }]);
  });

  it('writes at once on flush (window closing) and cancels the pending timer', async () => {
    const { writes, write } = recorder();
    const saver = createWindowStateSaver({ dataDir: '/data', write });
    saver.schedule(state(900));
    await saver.flush(state(950));
    expect(writes.map((w) => w.data?.width)).toEqual([950]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(write).toHaveBeenCalledTimes(1);
    expect(saver.latest()).toEqual(state(950));
  });

  it('flushes whatever is pending when given nothing', async () => {
    const { writes, write } = recorder();
    const saver = createWindowStateSaver({ dataDir: '/data', write });
    await saver.flush();
    expect(write).not.toHaveBeenCalled();
    saver.schedule(state(901));
    await saver.flush();
    expect(writes.map((w) => w.data?.width)).toEqual([901]);
  });

  it('skips a write when nothing changed', async () => {
    const { write } = recorder();
    const saver = createWindowStateSaver({ dataDir: '/data', write });
    await saver.flush(state(900));
    await saver.flush(state(900));
    saver.schedule(state(900));
    await vi.advanceTimersByTimeAsync(1000);
    expect(write).toHaveBeenCalledTimes(1);
  });

  it('never runs two writes at once, and keeps their order', async () => {
    const order: string[] = [];
    let release: (() => void) | undefined;
    const write = vi.fn((_path: string, data: string) => {
      const width = String(parseWindowState(JSON.parse(data))?.width);
      order.push(`start ${width}`);
      return new Promise<void>((resolve) => {
        release = () => {
          order.push(`end ${width}`);
          resolve();
        };
      });
    });
    const saver = createWindowStateSaver({ dataDir: '/data', write });
    const first = saver.flush(state(800));
    const second = saver.flush(state(900));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['start 800']);
    release?.();
    await first;
    await vi.advanceTimersByTimeAsync(0);
    release?.();
    await second;
    expect(order).toEqual(['start 800', 'end 800', 'start 900', 'end 900']);
  });

  it('reports a failed write and tries again next time', async () => {
    const errors: unknown[] = [];
    const write = vi
      .fn<(path: string, data: string) => Promise<void>>()
      .mockRejectedValueOnce(new Error('disk full'))
      .mockResolvedValue(undefined);
    const saver = createWindowStateSaver({
      dataDir: '/data',
      write,
      onError: (e) => errors.push(e),
    });
    await saver.flush(state(800));
    expect(errors).toHaveLength(1);
    // Same state again: written this time, since the last write failed.
    await saver.flush(state(800));
    expect(write).toHaveBeenCalledTimes(2);
  });

  it('writes the file atomically by default', async () => {
    vi.useRealTimers();
    const dir = await mkdtemp(join(tmpdir(), 'window-state-'));
    try {
      const saver = createWindowStateSaver({ dataDir: dir });
      await saver.flush(state(1234));
      const text = await readFile(join(dir, WINDOW_STATE_FILE), 'utf8');
      expect(JSON.parse(text)).toMatchObject({ version: 1, width: 1234 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
