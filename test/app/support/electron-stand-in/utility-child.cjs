/**
 * A utility process under the stand-in: Electron gives it `process.parentPort` (messages arrive as
 * `{ data }`); here that is node's own IPC channel. Then the real entry (out/main/worker.js) runs.
 */
const { EventEmitter } = require('node:events');
require('./record-ort.cjs');

const port = new EventEmitter();
port.postMessage = (message) => process.send?.(message);
process.on('message', (data) => port.emit('message', { data }));
process.parentPort = port;
// Electron lets a utility process live while its parent does; node's IPC would keep it alive anyway.
process.on('disconnect', () => process.exit(0));
require(process.argv[2]);
