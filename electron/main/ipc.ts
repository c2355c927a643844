import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import log from 'electron-log/main';
import { CHANNEL_NAMES } from '../../src/common/api';
import { ipcName } from '../../src/common/api/ipc-names';
import { FacetError } from '../../src/common/errors';
import { type Result, fail } from '../../src/common/result';
import { type HandlerMap, dispatch } from '../../src/engine/api/dispatch';
import type { EngineContext } from '../../src/engine/context';
import { isTrustedRendererUrl } from './sender-check';

export interface IpcDeps {
  rendererUrl: string;
  context: () => EngineContext;
  handlers: () => Partial<HandlerMap>;
}

/**
 * One registration per channel of the contract, all through `dispatch` (zod validation + envelope),
 * after checking the sender is our own top-level renderer frame.
 */
export function registerIpc(deps: IpcDeps): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(ipcName(channel), (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedRendererUrl(frame.url, deps.rendererUrl)) {
        log.warn(`Refused ${channel} from an untrusted frame: ${frame?.url ?? '(gone)'}`);
        return Promise.resolve(fail(new FacetError('invalid_argument', 'This frame may not call the Facet API.')));
      }
      return dispatch(deps.context(), deps.handlers(), channel, input);
    });
  }
  return () => CHANNEL_NAMES.forEach((channel) => ipcMain.removeHandler(ipcName(channel)));
}
