/**
 * Entry of the indexing utility process (Electron's `utilityProcess.fork`). It opens its own engine on
 * the same library (SQLite WAL lets the main process read meanwhile) and serves the heavy channels,
 * so decoding and inference never stall the window. `app` does not exist here: the main process sends
 * every path in the first message.
 */
import { dispatch } from '../../src/engine/api/dispatch';
import { type EngineHandle, openAppEngine } from './engine-handle';
import type { FromIndexer, ToIndexer } from './indexer-protocol';

interface ParentPort {
  on(event: 'message', listener: (message: { data: ToIndexer }) => void): void;
  postMessage(message: FromIndexer): void;
}
const port = (process as unknown as { parentPort: ParentPort }).parentPort;
let engine: EngineHandle | undefined;

port.on('message', ({ data }) => {
  if (data.type === 'init') {
    engine = openAppEngine({ ...data.options, emit: (name, payload) => port.postMessage({ type: 'event', name, payload }) });
    port.postMessage({ type: 'ready' });
    return;
  }
  if (!engine) return;
  void dispatch(engine.ctx, engine.handlers, data.channel, data.input).then((result) => port.postMessage({ type: 'result', id: data.id, result }));
});

process.on('exit', () => engine?.close());
