import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { bundledManifest } from '../../../src/engine/models/manifest';
import type { ModelManifest } from '../../../src/engine/models/manifest-schema';
import { SHARED_MODELS, readLabels, sharedPhotos } from '../../support/shared';

/**
 * The bundled manifest with every file's URL pointed at a loopback server that serves ../shared/models:
 * the welcome sheet's "Get face models" then runs the real downloader (progress, sha256 check, the
 * library's models/<id>/ folder) with no internet. Only files ../shared has are served.
 */
export async function serveModels(): Promise<{ manifest: ModelManifest; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const name = path.basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = path.join(SHARED_MODELS, name);
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': fs.statSync(file).size, 'content-type': 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const bundled = bundledManifest();
  const manifest: ModelManifest = {
    ...bundled,
    models: bundled.models.map((m) => ({
      ...m,
      files: m.files.map((f) => ({ ...f, url: `http://127.0.0.1:${port}/${path.basename(f.name)}` })),
    })),
  };
  return { manifest, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * A folder as a user's might be: three photos each of 24 people from LFW (so there are more than 20
 * people to name), plus an exact copy of one photo and a smaller re-encoded copy of another (for the
 * duplicates review). Returns the folder and who is in each file.
 */
export async function makePeopleFolder(
  dir: string,
): Promise<{ folder: string; identityOf: Map<string, string>; exactCopy: string; resizedCopy: string }> {
  const folder = path.join(dir, 'Family photos');
  fs.mkdirSync(folder, { recursive: true });
  const lfw = sharedPhotos('faces-lfw-dev', 'images');
  const byPerson = new Map<string, string[]>();
  for (const file of fs.readdirSync(lfw).sort()) {
    const person = file.replace(/_\d+\.jpg$/, '');
    byPerson.set(person, [...(byPerson.get(person) ?? []), file]);
  }
  const identityOf = new Map<string, string>();
  const chosen = [...byPerson].filter(([, files]) => files.length >= 4).slice(0, 24);
  for (const [person, files] of chosen) {
    for (const file of files.slice(0, 3)) {
      fs.copyFileSync(path.join(lfw, file), path.join(folder, file));
      identityOf.set(path.join(folder, file), person.replace(/_/g, ' '));
    }
  }
  const [first, second] = chosen.map(([, files]) => files[0]!);
  const exactCopy = path.join(folder, `copy of ${first}`);
  fs.copyFileSync(path.join(lfw, first!), exactCopy);
  const resizedCopy = path.join(folder, `small ${second}`);
  await sharp(path.join(lfw, second!)).resize(180).jpeg({ quality: 70 }).toFile(resizedCopy);
  for (const labels of ['faces-celebs', 'faces-album']) {
    for (const row of readLabels(sharedPhotos(labels, 'labels.csv')))
      if (row.file && row.identity) identityOf.set(sharedPhotos(labels, row.file), titleCase(row.identity.replace(/_/g, ' ')));
  }
  return { folder, identityOf, exactCopy, resizedCopy };
}

const titleCase = (s: string) => s.replace(/\b\p{Ll}/gu, (c) => c.toUpperCase());
