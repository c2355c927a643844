import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { readLabels, SHARED_MODELS, sharedPhotos } from '../../support/shared';
import { type AppOnLibrary, appOnLibrary } from './app-on-library';

/** A people e2e file's app: labelled photos indexed by the real engine, its API, and who is in each photo. */
export interface LabelledPeopleApp {
  app: AppOnLibrary;
  engine: Engine;
  /** Photo file name → the identity its label gives (the test's answer key). */
  identityOf: Map<string, string>;
  api: <T>(channel: Parameters<Engine['call']>[0], input?: object) => Promise<T>;
  /** Opens the app in Chromium over the engine (after any setup the test does through `api`). */
  open: () => Promise<Page>;
}

/**
 * Copies the photos of the chosen identities of a labelled set in ../shared (`images` its photo
 * folder inside the set, if any) into a fresh folder, and indexes them with real detection,
 * embeddings and clustering.
 */
export async function labelledPeopleApp(
  prefix: string,
  set: { name: string; images?: string },
  chooseIdentities: (counts: Map<string, number>) => string[],
): Promise<LabelledPeopleApp> {
  const app = appOnLibrary(prefix);
  const folder = path.join(app.dir, 'photos');
  fs.mkdirSync(folder);
  const labels = readLabels(sharedPhotos(set.name, 'labels.csv'));
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l.identity!, (counts.get(l.identity!) ?? 0) + 1);
  const chosen = new Set(chooseIdentities(counts));
  const identityOf = new Map<string, string>();
  for (const { file, identity } of labels.filter((l) => chosen.has(l.identity!))) {
    fs.copyFileSync(sharedPhotos(set.name, ...(set.images ? [set.images] : []), file!), path.join(folder, file!));
    identityOf.set(file!, identity!);
  }
  const engine = Engine.open({ libraryDir: path.join(app.dir, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
  app.onClose(() => engine.close());
  await engine.index([folder]);
  await engine.runJobs();
  const api = async <T>(channel: Parameters<Engine['call']>[0], input: object = {}) =>
    unwrap(await engine.call(channel as never, input as never)) as T;
  return { app, engine, identityOf, api, open: () => app.open(engine) };
}
