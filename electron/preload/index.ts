import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from '../../shared/ipc/bridge';
import { PRELOAD_CHANNELS } from '../../shared/ipc/channels';

const [DROPPED] = PRELOAD_CHANNELS;

// Only `invoke`, `on` and `pathForFile` cross into the page; the Electron event (and its `sender`)
// is dropped.
contextBridge.exposeInMainWorld(
  'scimPorter',
  createBridge({
    invoke: (channel, request) => ipcRenderer.invoke(channel, request),
    on: (event, listener) => {
      const handler = (_event: Electron.IpcRendererEvent, payload: unknown): void => {
        listener(payload);
      };
      ipcRenderer.on(event, handler);
      return () => {
        ipcRenderer.removeListener(event, handler);
      };
    },
    pathForFile: (file) => {
      // Only a real file from disk has a path; main is told so it may read that file (and only
      // that one). IPC keeps order, so this arrives before the page's next request.
      const path = webUtils.getPathForFile(file);
      if (path) void ipcRenderer.invoke(DROPPED, path);
      return path;
    },
  }),
);
