import { isOwnPage } from './own-page';

/** What Electron tells us about the frame that sent an IPC message. */
type SenderInfo = {
  /** `event.senderFrame.url` (undefined when the frame is gone). */
  frameUrl: string | undefined;
  /** True when the sender is the top frame of its window (`senderFrame.parent === null`). */
  isTopFrame: boolean;
  /** True when the webContents belongs to a window this app created. */
  isOurWindow: boolean;
};

/**
 * Only the top frame of one of our windows, showing our own page, may call the engine
 * (as VS Code's validatedIpcMain and Electron's security checklist advise): an iframe or a page
 * navigated elsewhere must not reach saved credentials.
 */
export function isTrustedSender(sender: SenderInfo, appPageUrl: string): boolean {
  if (!sender.isOurWindow || !sender.isTopFrame || sender.frameUrl === undefined) return false;
  return isOwnPage(sender.frameUrl, appPageUrl);
}
