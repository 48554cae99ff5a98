// Preloaded (--import) into the engine process that the stub's utilityProcess.fork starts with
// plain Node: it gives the process what Electron gives a utility process, `process.parentPort`
// ('message' events carry { data }; postMessage answers), carried over Node's IPC channel.
import { EventEmitter } from 'node:events';

const port = new EventEmitter();
port.postMessage = (message) => {
  process.send(message);
};
process.on('message', (data) => {
  port.emit('message', { data, ports: [] });
});
// Electron ends a utility process together with the app; so does the stand-in.
process.on('disconnect', () => {
  process.exit(0);
});
Object.defineProperty(process, 'parentPort', { value: port });
