import path from 'node:path';
import type { Library } from '../library/library';

/** A model id made safe as a file name (ids are ours, but a manifest could carry anything). */
export const safeModelId = (modelId: string): string => modelId.replace(/[^A-Za-z0-9._-]/g, '_');

/** `<library>/people/<model><suffix>`: what the people engine keeps per embedding model beside the database. */
export const peopleFile = (library: Library, modelId: string, suffix: string): string =>
  path.join(library.paths.root, 'people', `${safeModelId(modelId)}${suffix}`);
