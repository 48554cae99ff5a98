/**
 * The main window's remembered size, position and maximised flag: `<dataDir>/window-state.json`,
 * validated on load, fitted to the displays that exist now (a monitor may have been unplugged),
 * and saved debounced while the user drags or resizes, then once more when the window closes.
 * `electron/main/window.ts` supplies the bounds and the displays' work areas.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../../../engine/files/atomic-file';

export const WINDOW_STATE_FILE = 'window-state.json';

export type Rect = { x: number; y: number; width: number; height: number };

export type WindowState = {
  /** Absent: let the OS place the window (centred on the primary display). */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
};

const DEFAULT_SIZE = { width: 1280, height: 840 } as const;
/** Same as the BrowserWindow's minWidth/minHeight. */
export const MIN_SIZE = { width: 720, height: 520 } as const;
export const DEFAULT_WINDOW_STATE: WindowState = { ...DEFAULT_SIZE, maximized: false };

/** How much of the window must overlap a display for the saved position to be kept. */
const MIN_VISIBLE = { width: 120, height: 60 } as const;

// zod 4 numbers are finite by default (no Infinity/NaN).
const finite = z.number();
const WindowStateFileSchema = z.object({
  version: z.literal(1),
  x: finite.optional(),
  y: finite.optional(),
  width: finite.positive(),
  height: finite.positive(),
  maximized: z.boolean(),
});

function windowStateFile(dataDir: string): string {
  return join(dataDir, WINDOW_STATE_FILE);
}

/** Parses a saved state; undefined for anything malformed (the caller falls back to defaults). */
export function parseWindowState(value: unknown): WindowState | undefined {
  const parsed = WindowStateFileSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { x, y, width, height, maximized } = parsed.data;
  const state: WindowState = { width, height, maximized };
  // A position only makes sense as a pair.
  if (x !== undefined && y !== undefined) {
    state.x = x;
    state.y = y;
  }
  return state;
}

/** Reads `<dataDir>/window-state.json`; undefined when missing, unreadable or invalid. */
export async function loadWindowState(dataDir: string): Promise<WindowState | undefined> {
  try {
    return parseWindowState(await readJsonFile(windowStateFile(dataDir)));
  } catch {
    // Corrupt JSON or an unreadable file: forget it rather than fail to open the window.
    return undefined;
  }
}

export function serializeWindowState(state: WindowState): string {
  const out: Record<string, unknown> = { version: 1 };
  if (state.x !== undefined && state.y !== undefined) {
    out['x'] = Math.round(state.x);
    out['y'] = Math.round(state.y);
  }
  out['width'] = Math.round(state.width);
  out['height'] = Math.round(state.height);
  out['maximized'] = state.maximized;
  return `${JSON.stringify(out, null, 2)}\n`;
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

/**
 * Fits a saved (or missing) state to the displays' work areas (`screen.getAllDisplays()`,
 * primary first). The size never exceeds the chosen work area nor drops below MIN_SIZE; the
 * position is kept when enough of the window would be visible on some display, moved fully onto
 * that display, and dropped (so the OS centres the window) when it is on no display at all.
 */
export function fitWindowState(
  saved: WindowState | undefined,
  workAreas: readonly Rect[],
): WindowState {
  const state = saved ?? DEFAULT_WINDOW_STATE;
  const primary = workAreas[0];
  const sizeWithin = (area: Rect | undefined): { width: number; height: number } => ({
    width: Math.round(clamp(state.width, MIN_SIZE.width, area?.width ?? Infinity)),
    height: Math.round(clamp(state.height, MIN_SIZE.height, area?.height ?? Infinity)),
  });

  if (state.x === undefined || state.y === undefined || primary === undefined) {
    return { ...sizeWithin(primary), maximized: state.maximized };
  }

  // Judge visibility at the size the window will have (never below the minimum).
  const rect: Rect = {
    x: state.x,
    y: state.y,
    width: Math.max(state.width, MIN_SIZE.width),
    height: Math.max(state.height, MIN_SIZE.height),
  };
  let best: Rect | undefined;
  let bestArea = 0;
  for (const area of workAreas) {
    const o = overlap(rect, area);
    if (o.width < MIN_VISIBLE.width || o.height < MIN_VISIBLE.height) continue;
    if (o.width * o.height > bestArea) {
      best = area;
      bestArea = o.width * o.height;
    }
  }
  if (!best) return { ...sizeWithin(primary), maximized: state.maximized };

  const size = sizeWithin(best);
  return {
    x: Math.round(clamp(state.x, best.x, best.x + best.width - size.width)),
    y: Math.round(clamp(state.y, best.y, best.y + best.height - size.height)),
    ...size,
    maximized: state.maximized,
  };
}

export type WindowStateSaver = {
  /** Remember `state` and write it after `delayMs` of quiet (restarts on every call). */
  schedule(state: WindowState): void;
  /** Write now: `state` if given, else whatever is pending. Resolves when written. */
  flush(state?: WindowState): Promise<void>;
  /** The newest state given to `schedule` or `flush` (to reopen a window where it was). */
  latest(): WindowState | undefined;
};

/**
 * Debounced, serialised writes of the window state. Writes never overlap, and a failed write is
 * reported to `onError` (default: ignored) rather than thrown: losing the window size is not
 * worth an error dialog.
 */
export function createWindowStateSaver(options: {
  dataDir: string;
  delayMs?: number;
  write?: (path: string, data: string) => Promise<void>;
  onError?: (error: unknown) => void;
}): WindowStateSaver {
  const delayMs = options.delayMs ?? 400;
  const write = options.write ?? writeFileAtomic;
  const path = windowStateFile(options.dataDir);
  let pending: WindowState | undefined;
  let newest: WindowState | undefined;
  let last: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queue: Promise<void> = Promise.resolve();

  function writePending(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const state = pending;
    pending = undefined;
    if (!state) return queue;
    const data = serializeWindowState(state);
    if (data === last) return queue;
    last = data;
    queue = queue.then(
      () =>
        write(path, data).catch((e: unknown) => {
          last = undefined;
          options.onError?.(e);
        }),
      () => undefined,
    );
    return queue;
  }

  return {
    schedule(state) {
      pending = state;
      newest = state;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => void writePending(), delayMs);
    },
    flush(state) {
      if (state) {
        pending = state;
        newest = state;
      }
      return writePending();
    },
    latest: () => newest,
  };
}
