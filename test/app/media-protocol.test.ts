import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Library } from '../../src/engine/library/library';
import { PhotoStore, registerIndexedPhoto } from '../../src/engine/library/photo-store';
import { displayCopyRelativePath } from '../../src/engine/imaging/thumbnail';
import { parseMediaUrl, resolveMediaFile, resolveMediaUrl, resolveOriginalFile } from '../../src/engine/media/media-file';
import { tempDir } from '../support/temp';

// protocol.ts registers with Electron; here Electron is a recorder so the real handler can be called.
const registered = vi.hoisted(() => ({ handler: null as null | ((request: Request) => Response | Promise<Response>) }));
vi.mock('electron', () => ({
  protocol: {
    handle: (_scheme: string, handler: (request: Request) => Response) => (registered.handler = handler),
    registerSchemesAsPrivileged: () => {},
  },
}));
vi.mock('electron-log/main', () => ({ default: { warn: () => {}, error: () => {} } }));

describe('facet:// media URLs name library ids, never paths', () => {
  it.each([
    ['facet://thumb/1', { kind: 'thumb', id: 1 }],
    ['facet://photo/123456', { kind: 'photo', id: 123456 }],
    ['facet://thumb/42/', { kind: 'thumb', id: 42 }],
    ['facet://thumb/42?v=3', { kind: 'thumb', id: 42 }],
    ['facet://face/7', { kind: 'face', id: 7 }],
  ])('accepts %s', (url, expected) => expect(parseMediaUrl(url)).toEqual(expected));

  it.each([
    'facet://thumb/../../etc/passwd',
    'facet://thumb/..%2F..%2Fetc%2Fpasswd',
    'facet://thumb/%2e%2e/%2e%2e/etc/passwd',
    'facet://thumb/%252e%252e%252fetc',
    'facet://photo/1/../../../etc/passwd',
    'facet://photo/1%2F..%2F..',
    'facet://photo/..\\..\\windows\\win.ini',
    'facet://photo//etc/passwd',
    'facet://photo/C:/Windows/win.ini',
    'facet://photo/0',
    'facet://photo/-1',
    'facet://photo/1.5',
    'facet://photo/1e3',
    'facet://photo/0x10',
    'facet://photo/9999999999999999',
    'facet://photo/',
    'facet://file/1',
    'facet://face/../1',
    'facet://face/0',
    'facet://thumb.evil/1',
    'file:///etc/passwd',
    'facet://photo/1#/../../etc',
    'facet://photo/1?path=/etc/passwd',
  ])('refuses %s before touching the disk', (url) =>
    expect(() => parseMediaUrl(url)).toThrow(expect.objectContaining({ code: 'invalid_argument' })),
  );
});

describe('resolving an id to its file', () => {
  const root = tempDir('facet-media-');
  const photosDir = path.join(root, 'photos');
  let library: Library;
  const ids: Record<string, number> = {};

  beforeAll(() => {
    library = Library.open(path.join(root, 'library'));
    fs.mkdirSync(photosDir);
    fs.writeFileSync(path.join(photosDir, 'a.jpg'), 'original');
    fs.writeFileSync(path.join(photosDir, 'e.jpg'), 'unplugged');
    fs.writeFileSync(path.join(library.paths.thumbnails, 'a.webp'), 'thumb');
    fs.mkdirSync(path.join(library.paths.thumbnails, 'ab'));
    fs.writeFileSync(path.join(library.paths.thumbnails, 'ab', 'b.webp'), 'sharded thumb');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'not for the renderer');
    const photos = new PhotoStore(library.db);
    const add = (name: string, file: string, status: 'indexed' | 'offline', thumbnail: string | null, format = 'JPEG') => {
      const id = registerIndexedPhoto(library.db, { path: file, thumbnail, format });
      if (status !== 'indexed') photos.setStatus(id, status, null, { size: 1, mtimeMs: 0 });
      ids[name] = id;
    };
    add('good', path.join(photosDir, 'a.jpg'), 'indexed', 'a.webp');
    add('sharded', path.join(photosDir, 'b.jpg'), 'indexed', 'ab/b.webp');
    add('traversal', path.join(photosDir, 'c.jpg'), 'indexed', '../secret.txt');
    add('absolute', path.join(photosDir, 'd.jpg'), 'indexed', path.join(root, 'secret.txt'));
    add('offline', path.join(photosDir, 'e.jpg'), 'offline', 'a.webp');
    fs.writeFileSync(path.join(photosDir, 'f.tif'), 'tiff original');
    fs.writeFileSync(path.join(photosDir, 'g.heic'), 'heic original');
    add('tiff', path.join(photosDir, 'f.tif'), 'indexed', 'a.webp', 'TIFF');
    add('olderHeic', path.join(photosDir, 'g.heic'), 'indexed', 'ab/b.webp', 'HEIC');
    const displayCopy = path.join(library.paths.thumbnails, displayCopyRelativePath(ids.tiff!));
    fs.mkdirSync(path.dirname(displayCopy), { recursive: true });
    fs.writeFileSync(displayCopy, 'display jpeg');
  });
  afterAll(() => library.close());

  it('serves the thumbnail the engine recorded, from inside thumbs/', () => {
    expect(resolveMediaFile(library, { kind: 'thumb', id: ids.good! })).toMatchObject({
      path: path.join(library.paths.thumbnails, 'a.webp'),
      mimeType: 'image/webp',
      size: 5,
    });
    expect(resolveMediaFile(library, { kind: 'thumb', id: ids.sharded! }).path).toBe(path.join(library.paths.thumbnails, 'ab', 'b.webp'));
  });

  it('serves the original of an indexed photo', () => {
    expect(resolveMediaUrl(library, `facet://photo/${ids.good}`)).toMatchObject({
      path: path.join(photosDir, 'a.jpg'),
      mimeType: 'image/jpeg',
    });
  });

  it('serves a format Chromium cannot show (TIFF, HEIC) as its display copy, else its thumbnail; the original stays reachable for the shell', () => {
    expect(resolveMediaUrl(library, `facet://photo/${ids.tiff}`)).toMatchObject({
      path: expect.stringMatching(/\.display\.jpg$/),
      mimeType: 'image/jpeg',
      size: 12,
    });
    expect(resolveMediaUrl(library, `facet://photo/${ids.olderHeic}`)).toMatchObject({
      path: path.join(library.paths.thumbnails, 'ab', 'b.webp'),
      mimeType: 'image/webp',
    });
    expect(resolveOriginalFile(library, ids.tiff!)).toMatchObject({ path: path.join(photosDir, 'f.tif'), mimeType: 'image/tiff' });
    expect(() => resolveOriginalFile(library, ids.offline!)).toThrow(expect.objectContaining({ code: 'offline' }));
  });

  it('refuses a recorded thumbnail name that leaves thumbs/ (a tampered database)', () => {
    expect(() => resolveMediaFile(library, { kind: 'thumb', id: ids.traversal! })).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => resolveMediaFile(library, { kind: 'thumb', id: ids.absolute! })).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('refuses unknown ids and originals that are offline', () => {
    expect(() => resolveMediaUrl(library, 'facet://photo/999999')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => resolveMediaUrl(library, `facet://photo/${ids.offline}`)).toThrow(expect.objectContaining({ code: 'offline' }));
  });

  it('the Electron protocol handler answers 200 with the bytes, 400 for a path, 404 for an unknown id', async () => {
    const { handleMediaProtocol } = await import('../../electron/main/protocol');
    handleMediaProtocol(() => library);
    const fetchMedia = (url: string) => Promise.resolve(registered.handler!(new Request(url)));
    const ok = await fetchMedia(`facet://thumb/${ids.good}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/webp');
    expect(await ok.text()).toBe('thumb');
    expect((await fetchMedia('facet://thumb/..%2F..%2Fsecret.txt')).status).toBe(400);
    expect((await fetchMedia('facet://photo/999999')).status).toBe(404);
    expect((await fetchMedia(`facet://thumb/${ids.traversal}`)).status).toBe(404);
  });
});
