import { utilityProcess } from 'electron';
import type { EngineChild } from '../../engine/host/engine-host';

/** Forks the engine bundle (out/main/engine.js) as an Electron utilityProcess. */
export function forkUtilityEngine(entry: string): EngineChild {
  const child = utilityProcess.fork(entry, [], {
    serviceName: 'SCIM Porter engine',
    stdio: 'inherit',
  });
  return {
    post: (message) => {
      child.postMessage(message);
    },
    onMessage: (listener) => {
      child.on('message', listener);
    },
    onExit: (listener) => {
      child.once('exit', (code) => {
        listener(code, null);
      });
    },
    kill: () => {
      child.kill();
    },
    get pid() {
      return child.pid;
    },
  };
}
