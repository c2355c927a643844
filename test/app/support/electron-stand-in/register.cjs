/**
 * `node --require register.cjs out/main/index.js`: makes `require('electron')` return the recording
 * stand-in, records ORT sessions, and lets the test drive the app over node's IPC channel the way a
 * renderer would (through the preload's `window.facet`).
 */
const Module = require('node:module');
const path = require('node:path');
require('./record-ort.cjs');

const standInPath = path.join(__dirname, 'electron.cjs');
const rendererStandInPath = path.join(__dirname, 'electron-renderer.cjs');
const isPreload = (parent) => /[\\/]preload[\\/][^\\/]+\.js$/.test(parent?.filename ?? '');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  if (request === 'electron') return isPreload(parent) ? rendererStandInPath : standInPath;
  return originalResolve.call(this, request, parent, ...rest);
};

const electron = require(standInPath);
const { exposed, schemes } = electron.__standIn;
const reply = (id, body) => process.send?.({ type: 'reply', id, ...body });

process.on('message', async (message) => {
  const { id, op } = message;
  try {
    if (op === 'call') {
      if (!exposed.facet) return reply(id, { error: 'the preload has not exposed window.facet (no window loaded yet)' });
      return reply(id, { result: await exposed.facet.call(message.channel, message.input) });
    }
    if (op === 'subscribe') {
      for (const name of message.events) exposed.facet.on(name, (payload) => process.send?.({ type: 'event', name, payload }));
      return reply(id, { result: true });
    }
    if (op === 'fetch') {
      const response = await schemes.get(message.scheme)(new Request(message.url));
      const bytes = response.body ? Buffer.from(await response.arrayBuffer()).length : 0;
      return reply(id, { result: { status: response.status, bytes, type: response.headers.get('content-type') } });
    }
    if (op === 'quit') {
      reply(id, { result: true });
      return electron.app.quit();
    }
    reply(id, { error: `unknown op ${op}` });
  } catch (error) {
    reply(id, { error: String(error?.stack ?? error) });
  }
});
// Stay alive for the test's messages even when Facet has nothing scheduled (Electron's loop would).
process.channel?.ref();
