/**
 * `--require`d into the worker by the smoke test: reading a photo whose name starts with "crash-"
 * kills the worker with SIGSEGV, as a native decoder crashing on a hostile file would.
 */
const fs = require('node:fs/promises');
const path = require('node:path');

const readFile = fs.readFile;
fs.readFile = function crashingReadFile(file, ...rest) {
  if (typeof file === 'string' && path.basename(file).startsWith('crash-')) process.kill(process.pid, 'SIGSEGV');
  return readFile.call(this, file, ...rest);
};
