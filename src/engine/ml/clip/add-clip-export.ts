import fs from 'node:fs';
import path from 'node:path';
import { FacetError, isFacetError } from '../../../common/errors';
import { readClipExport } from '../../models/clip-export';
import { digestFile } from '../../models/file-digest';
import type { ClipModelEntry } from '../../models/manifest-schema';
import type { ModelManager } from '../../models/model-manager';
import { SessionPool } from '../runtime/session-pool';
import { ClipModel, sharedSessionFactory } from './clip-model';

/** A mid-grey 64×64 picture: enough to run the image encoder once. */
const PROBE_IMAGE = { data: new Uint8Array(64 * 64 * 3).fill(128), width: 64, height: 64 };

/** "ViT-B-32__openai" → "vit-b-32__openai": ids are lower-case letters, digits, dot, dash, underscore. */
export function idFromFolder(folder: string): string {
  const id = path
    .basename(path.resolve(folder))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  if (!id) throw new FacetError('invalid_argument', `Cannot make a model id from ${folder}; give one with --id.`);
  return id;
}

/**
 * `facet models add <folder>`: reads an Immich/open_clip CLIP export, checks that both encoders load and
 * give vectors of the declared size, records each file's sha256 and copies the files into the library.
 * Everything is checked before anything is installed: a broken folder installs nothing.
 */
export async function addClipExport(models: ModelManager, folder: string, id = idFromFolder(folder)): Promise<ClipModelEntry> {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id))
    throw new FacetError('invalid_argument', `"${id}" is not a model id (lower-case letters, digits, dot, dash, underscore).`);
  // Before anything is copied: the install below replaces the id's folder, which for a shipped id is its download.
  models.assertUserModelId(id);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new FacetError('not_found', `Not a folder: ${folder}`);
  const entry = readClipExport(folder, id);
  const sources = Object.fromEntries(entry.files.map((f) => [f.role, path.join(folder, f.name)]));
  // Probe sessions of their own, released at once: the engine's pool holds only models in use.
  const probe = new SessionPool();
  try {
    await checkEncoders(entry, sources, probe);
  } finally {
    await probe.release();
  }

  const files = await Promise.all(
    entry.files.map(async (file) => {
      const source = path.join(folder, file.name);
      return { ...file, bytes: fs.statSync(source).size, sha256: (await digestFile(source)).sha256 };
    }),
  );
  const dest = models.libraryFolder(id);
  const staging = `${dest}.adding`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(staging, file.name)), { recursive: true });
      fs.copyFileSync(path.join(folder, file.name), path.join(staging, file.name));
    }
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(staging, dest); // all files appear at once, or none
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const installed: ClipModelEntry = { ...entry, files };
  models.registerUserModel(installed);
  return installed;
}

async function checkEncoders(entry: ClipModelEntry, files: Record<string, string>, sessions: SessionPool): Promise<void> {
  let clip: ClipModel;
  try {
    clip = await ClipModel.load(entry, files, sharedSessionFactory('cpu', sessions));
  } catch (error) {
    throw new FacetError(
      'invalid_argument',
      `${entry.title}: the encoders do not load: ${isFacetError(error) ? error.message : (error as Error).message}`,
    );
  }
  const dim = entry.clip.embeddingDim;
  for (const [which, run] of [
    ['image', () => clip.embedImages([PROBE_IMAGE])],
    ['text', () => clip.embedTexts(['a photo of a dog'])],
  ] as const) {
    let vectors: Float32Array[];
    try {
      vectors = await run();
    } catch (error) {
      throw new FacetError(
        'invalid_argument',
        `The ${which} encoder does not run on a ${which === 'image' ? `${entry.clip.imageSize}×${entry.clip.imageSize} image` : 'text'}: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    if (vectors[0]?.length !== dim)
      throw new FacetError('invalid_argument', `The ${which} encoder gives ${vectors[0]?.length}-d vectors; config.json declares ${dim}.`);
  }
}
