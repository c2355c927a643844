/// <reference lib="dom" />
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import type { ApiEvents, EventName } from '../../../src/common/api/events';
import { FacetError } from '../../../src/common/errors';
import { fail } from '../../../src/common/result';
import { type HandlerMap, dispatch } from '../../../src/engine/api/dispatch';
import { apiHandlers } from '../../../src/engine/api/handlers';
import type { Engine } from '../../../src/engine/engine';
import { resolveMediaUrl } from '../../../src/engine/media/media-file';
import { settingsHandlers } from '../../../electron/main/settings-handlers';
import { SettingsStore } from '../../../electron/main/settings-store';

export interface BindingOptions {
  engine: Engine;
  settingsFile: string;
  /** What the native folder picker returns: the one OS dialog a headless browser cannot click. */
  pickFolder: () => string | null;
  /** Stand-ins for more of the app's OS channels (the system trash, the log file). */
  handlers?: Partial<HandlerMap>;
}

/**
 * The preload's `window.facet`, rebuilt over Playwright's binding and bound to the REAL engine through
 * the same `dispatch` the IPC uses. Media goes through `resolveMediaUrl`, the function behind
 * electron/main/protocol.ts. Returns the function the engine's events must be sent to.
 */
export async function bindEngine(
  context: BrowserContext,
  options: BindingOptions,
): Promise<{ emit: <E extends EventName>(event: E, payload: ApiEvents[E]) => void; calls: { channel: string; ms: number }[] }> {
  const settings = new SettingsStore(options.settingsFile);
  const calls: { channel: string; ms: number }[] = [];
  const handlers: Partial<HandlerMap> = {
    ...apiHandlers,
    ...settingsHandlers(settings),
    'app.pickFolder': () => ({ path: options.pickFolder() }),
    'app.info': (ctx) => ({ version: 'e2e', platform: process.platform, libraryPath: ctx.library.paths.root }),
    ...options.handlers,
  };
  await context.exposeBinding('facetCall', async (_source, channel: unknown, input: unknown) => {
    const started = performance.now();
    try {
      return await dispatch(options.engine.ctx, handlers, channel, input);
    } catch (error) {
      return fail(error);
    } finally {
      calls.push({ channel: String(channel), ms: performance.now() - started });
    }
  });
  await context.addInitScript(() => {
    type Listener = (payload: unknown) => void;
    const listeners = new Map<string, Set<Listener>>();
    const w = window as unknown as Record<string, unknown>;
    w.__facetEvent = (name: string, payload: unknown) => listeners.get(name)?.forEach((l) => l(payload));
    w.facet = {
      call: (channel: string, input: unknown) => (w.facetCall as (c: string, i: unknown) => Promise<unknown>)(channel, input),
      on: (event: string, callback: Listener) => {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(callback);
        return () => listeners.get(event)?.delete(callback);
      },
    };
  });
  await context.route(/^facet:/, async (route) => {
    try {
      const file = resolveMediaUrl(options.engine.library, route.request().url());
      await route.fulfill({ status: 200, contentType: file.mimeType, body: fs.readFileSync(file.path) });
    } catch (error) {
      await route.fulfill({ status: error instanceof FacetError && error.code === 'invalid_argument' ? 400 : 404, body: '' });
    }
  });
  const emit = <E extends EventName>(event: E, payload: ApiEvents[E]) => {
    for (const page of context.pages() as Page[])
      void page
        .evaluate(([n, p]) => (window as unknown as { __facetEvent?: (n: string, p: unknown) => void }).__facetEvent?.(n, p), [
          event,
          payload,
        ] as const)
        .catch(() => {});
  };
  return { emit, calls };
}
