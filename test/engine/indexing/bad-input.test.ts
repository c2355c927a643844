import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import type { FileInfo } from '../../../src/common/api/library';
import { pngClaiming } from '../../fixtures/hardening/malformed-corpus';
import { parseJson, runFacet } from '../../support/cli';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

describeWithShared('bad input: each file gets a clear reason and the run goes on', () => {
  const work = tempDir();
  const photos = path.join(work, 'photos');
  const library = path.join(work, 'library');
  let files: FileInfo[];
  let summary: string;

  beforeAll(async () => {
    fs.mkdirSync(photos);
    const good = fs.readFileSync(sharedPhotos('faces-celebs', 'img2.jpg'));
    fs.writeFileSync(path.join(photos, 'good.jpg'), good);
    fs.writeFileSync(path.join(photos, 'truncated.jpg'), good.subarray(0, Math.floor(good.length / 2)));
    fs.writeFileSync(path.join(photos, 'empty.jpg'), Buffer.alloc(0));
    fs.writeFileSync(path.join(photos, 'random.jpg'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
    fs.writeFileSync(path.join(photos, 'notes.png'), 'This is a text file, not a picture.\n');
    fs.writeFileSync(path.join(photos, 'bomb.png'), pngClaiming(30000, 30000));
    fs.writeFileSync(
      path.join(photos, 'scan.bmp'),
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
        .png()
        .toBuffer(),
    );
    fs.writeFileSync(path.join(photos, 'clip.mov'), Buffer.from('not really a movie'));
    fs.writeFileSync(path.join(photos, `${'long-name-'.repeat(24)}.jpg`), good);
    fs.writeFileSync(Buffer.from(path.join(photos, 'latin1-\xe9t\xe9.jpg'), 'latin1'), good);
    fs.mkdirSync(path.join(photos, 'loop'));
    fs.symlinkSync(photos, path.join(photos, 'loop', 'back-to-top'));
    const run = await runFacet(['index', photos, '--library', library, '--models', SHARED_MODELS, '--device', 'cpu']);
    expect(run.code, run.stderr).toBe(0);
    summary = run.stdout.trim();
    files = parseJson<FileInfo[]>(await runFacet(['files', '--library', library, '--json']));
  }, 300_000);

  const reasonOf = (name: string) => files.find((f) => path.basename(f.path) === name);

  it('ends with the one-line summary and exits 0', () => {
    expect(summary).toMatch(/^indexed 2, unchanged 0, failed 5, unsupported 2, faces \d+, seconds [\d.]+$/);
  });

  it('indexes the good photo and the very long name', () => {
    expect(reasonOf('good.jpg')?.status).toBe('indexed');
    expect(reasonOf(`${'long-name-'.repeat(24)}.jpg`)?.status).toBe('indexed');
  });

  it.each([
    ['truncated.jpg', /truncated or damaged/],
    ['empty.jpg', /empty/],
    ['random.jpg', /not an image/],
    ['notes.png', /not an image/],
    ['bomb.png', /too large/],
  ])('%s fails with a clear reason', (name, reason) => {
    const file = reasonOf(name);
    expect(file?.status).toBe('failed');
    expect(file?.error).toMatch(reason);
  });

  it('names unsupported formats', () => {
    expect(reasonOf('scan.bmp')).toMatchObject({ status: 'unsupported' });
    expect(reasonOf('scan.bmp')?.error).toMatch(/PNG|BMP/);
    expect(reasonOf('clip.mov')).toMatchObject({ status: 'unsupported', error: 'unsupported format: QuickTime video' });
  });

  it('survives a symlink loop and a non-UTF-8 name without indexing anything twice', () => {
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
    expect(files.filter((f) => f.status === 'indexed')).toHaveLength(2);
  });
});

describeWithShared('models that are missing or corrupt', () => {
  const work = tempDir();

  it('a missing face model does not stop indexing, and the one command that gets it is named', async () => {
    const empty = path.join(work, 'no-models');
    fs.mkdirSync(empty);
    const run = await runFacet(['index', sharedPhotos('faces-album'), '--library', path.join(work, 'lib1'), '--models', empty]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^indexed 23, .*faces 0/);
    expect(run.stderr).toMatch(/no face model is installed.*facet models download --defaults/);
  });

  it('a corrupt model is refused by its checksum', async () => {
    const broken = path.join(work, 'broken-models');
    fs.mkdirSync(broken);
    for (const f of fs.readdirSync(SHARED_MODELS)) fs.copyFileSync(path.join(SHARED_MODELS, f), path.join(broken, f));
    const detector = path.join(broken, 'face_detection_yunet_s_dynamic.onnx'); // the default detector
    const bytes = fs.readFileSync(detector);
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0xff;
    fs.writeFileSync(detector, bytes);
    const run = await runFacet(['index', sharedPhotos('faces-album'), '--library', path.join(work, 'lib2'), '--models', broken]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/yunet/i);
    expect(run.stderr).toMatch(/corrupt|checksum|sha-?256/i);
  });
});
