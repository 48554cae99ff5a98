import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from '../../shared/ipc/bridge';

// Only `invoke` and `on` cross into the page; the Electron event (and its `sender`) is dropped.
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
    pathForFile: (file) => webUtils.getPathForFile(file),
  }),
);
