import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ErrorPayload } from '../../shared/errors/payload';
import { CHANNELS, isEventName, PRELOAD_CHANNELS } from '../../shared/ipc/channels';
import type { Router } from '../../engine/api/router';
import type { EventSink } from '../../engine/ports';
import { isTrustedSender } from './policy/sender';

const UNTRUSTED: ErrorPayload = {
  code: 'invalid_request',
  message: 'This request did not come from the SCIM Porter window and was refused.',
};

/**
 * Registers one `ipcMain.handle` per contract channel (sender check, then the engine router), and
 * the preload's own `files:dropped` (a dropped file's path, which main may then read).
 */
export function registerIpc(
  ipcMain: IpcMain,
  router: Router,
  isOurWindow: (event: IpcMainInvokeEvent) => boolean,
  appPageUrl: string,
  onDroppedFile: (path: string) => void,
): void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return isTrustedSender(
      {
        frameUrl: frame?.url,
        isTopFrame: frame?.parent === null,
        isOurWindow: isOurWindow(event),
      },
      appPageUrl,
    );
  };
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, request: unknown) =>
      trusted(event) ? router.dispatch(channel, request) : { ok: false, error: UNTRUSTED },
    );
  }
  const [dropped] = PRELOAD_CHANNELS;
  ipcMain.handle(dropped, (event, path: unknown) => {
    if (trusted(event) && typeof path === 'string' && path.length > 0 && path.length <= 4096) {
      onDroppedFile(path);
    }
  });
}

/** The engine's EventSink: contract events only, to the app window while it exists. */
export function createWindowEventSink(getWindow: () => BrowserWindow | undefined): EventSink {
  return (event, payload) => {
    const win = getWindow();
    if (isEventName(event) && win && !win.isDestroyed()) win.webContents.send(event, payload);
  };
}
