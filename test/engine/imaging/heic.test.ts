import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaceInfo, FileInfo } from '../../../src/common/api/library';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { decodePhoto } from '../../../src/engine/imaging/decode';
import { heicDecoderInUse, resetHeicDecoder } from '../../../src/engine/imaging/heic-decoder';
import { decodeHevcHeic, decodeHevcHeicInWorkers, heicWorkersFailure, restartHeicWorkers } from '../../../src/engine/imaging/hevc-heic';
import { intersectionOverUnion } from '../../../src/engine/library/face-store';
import { type MediaFile, resolveMediaFile } from '../../../src/engine/media/media-file';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { FIXTURES_DIR } from '../../support/paths';

/** 320×240, four flat quadrants (red, green / blue, yellow), encoded by libheif's heif-enc with x265. */
const QUADRANTS = path.join(FIXTURES_DIR, 'heic', 'quadrants-hevc.heic');
const HAS_HEIF_ENC = spawnSync('heif-enc', ['--version']).error === undefined;

describe('HEVC-coded HEIC (iPhone photos), which sharp alone cannot decode', () => {
  it('is HEVC, and decodes to the right size and colours', async () => {
    expect(await sharp(QUADRANTS).metadata()).toMatchObject({ format: 'heif', compression: 'hevc' });
    const decoded = await decodePhoto(fs.readFileSync(QUADRANTS));
    expect([decoded.originalWidth, decoded.originalHeight, decoded.image.width, decoded.image.height]).toEqual([320, 240, 320, 240]);
    const at = (x: number, y: number) => Array.from(decoded.image.data.subarray((y * 320 + x) * 3, (y * 320 + x) * 3 + 3));
    const near = (actual: number[], expected: number[]) => actual.every((v, i) => Math.abs(v - expected[i]!) <= 12);
    expect(near(at(80, 60), [220, 40, 40])).toBe(true);
    expect(near(at(240, 60), [40, 200, 60])).toBe(true);
    expect(near(at(80, 180), [40, 60, 220])).toBe(true);
    expect(near(at(240, 180), [240, 220, 40])).toBe(true);
  });

  it('a truncated HEIC is refused as truncated, and the next photo still decodes', async () => {
    const bytes = fs.readFileSync(QUADRANTS);
    await expect(decodePhoto(bytes.subarray(0, bytes.length - 50))).rejects.toMatchObject({
      code: 'unsupported',
      message: 'the file is truncated or damaged',
    });
    expect((await decodePhoto(bytes)).image.width).toBe(320);
  });
});

const HAS_HEIF_CONVERT = spawnSync('heif-convert', ['--help']).error === undefined;

/**
 * Puts these environment variables back after each test (tests point PATH at stand-in tools and
 * choose the decoder) and forgets the decoder chosen under them. Returns their values before.
 */
function restoreEnvAfterEach(names: readonly string[]): Record<string, string | undefined> {
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetHeicDecoder();
  });
  return saved;
}

describe('HEIC decoders: a pool of WebAssembly workers, the native decoder, and the fallback between them', () => {
  const saved = restoreEnvAfterEach(['PATH', 'FACET_HEIC_DECODER']);

  it("the worker pool, decoding several at once, gives exactly the single in-process decoder's pixels", async () => {
    const bytes = fs.readFileSync(QUADRANTS);
    const single = await decodeHevcHeic(bytes);
    const pooled = await Promise.all(Array.from({ length: 6 }, () => decodeHevcHeicInWorkers(bytes)));
    for (const pixels of pooled) {
      expect([pixels.width, pixels.height]).toEqual([single.width, single.height]);
      expect(Buffer.compare(Buffer.from(pixels.data), Buffer.from(single.data))).toBe(0);
    }
    await expect(decodeHevcHeicInWorkers(bytes.subarray(0, 200))).rejects.toThrow(); // a damaged file fails alone
    expect((await decodeHevcHeicInWorkers(bytes)).width).toBe(320);
  });

  it('workers that cannot load libheif (a package without it unpacked): every photo still decodes, here, and status says why', async () => {
    const bytes = fs.readFileSync(QUADRANTS);
    const single = await decodeHevcHeic(bytes);
    // The path a packaged app would resolve: the workers are handed its app.asar.unpacked copy, missing here.
    restartHeicWorkers(path.join(tempDir(), 'resources', 'app.asar', 'node_modules', 'libheif-js', 'wasm-bundle.js'));
    try {
      expect(heicWorkersFailure()).toBeNull();
      const decoded = await Promise.all([1, 2, 3].map(() => decodeHevcHeicInWorkers(bytes)));
      for (const pixels of decoded) expect(Buffer.compare(Buffer.from(pixels.data), Buffer.from(single.data))).toBe(0);
      expect(heicWorkersFailure()).toMatch(/Cannot find module .*app\.asar\.unpacked/);
      await expect(decodeHevcHeicInWorkers(bytes.subarray(0, 200))).rejects.toThrow(); // a damaged file is still damaged
    } finally {
      restartHeicWorkers();
    }
    expect(heicWorkersFailure()).toBeNull();
    expect((await decodeHevcHeicInWorkers(bytes)).width).toBe(320);
    expect(heicWorkersFailure()).toBeNull();
  });

  it.skipIf(!HAS_HEIF_CONVERT || !HAS_HEIF_ENC)(
    `libheif's native decoder gives the WebAssembly decoder's picture, upright${HAS_HEIF_CONVERT ? '' : ' [skipped: heif-convert (Debian libheif-examples) is not installed]'}`,
    async () => {
      // A portrait photo stored landscape with an EXIF orientation: heif-enc turns it into HEIF's irot.
      const work = tempDir();
      const jpeg = path.join(work, 'rotated.jpg');
      const pixels = await decodeHevcHeic(fs.readFileSync(QUADRANTS));
      await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 4 } })
        .withMetadata({ orientation: 6 })
        .jpeg({ quality: 95 })
        .toFile(jpeg);
      const heic = path.join(work, 'rotated.heic');
      expect(spawnSync('heif-enc', ['-q', '90', jpeg, '-o', heic]).status).toBe(0);
      expect(heicDecoderInUse().decoder).toBe('libheif');
      const native = await decodePhoto(heic);
      process.env.FACET_HEIC_DECODER = 'wasm';
      resetHeicDecoder();
      expect(heicDecoderInUse()).toEqual({ decoder: 'wasm', reason: 'FACET_HEIC_DECODER=wasm' });
      const wasm = await decodePhoto(heic);
      expect([native.originalWidth, native.originalHeight, native.image.width, native.image.height]).toEqual([
        wasm.originalWidth,
        wasm.originalHeight,
        wasm.image.width,
        wasm.image.height,
      ]);
      let difference = 0;
      for (let i = 0; i < wasm.image.data.length; i++) difference += Math.abs(wasm.image.data[i]! - native.image.data[i]!);
      expect(difference / wasm.image.data.length).toBeLessThan(3); // the native path's JPEG at quality 95
    },
  );

  it('a file the native tool fails on falls back alone; a tool that cannot start switches to WebAssembly, and says so', async () => {
    const bin = tempDir();
    const fake = path.join(bin, process.platform === 'win32' ? 'heif-convert.cmd' : 'heif-convert');
    fs.writeFileSync(fake, '#!/bin/sh\necho "libde265 missing" >&2\nexit 1\n', { mode: 0o755 });
    process.env.PATH = `${bin}${path.delimiter}${saved.PATH}`;
    resetHeicDecoder();
    if (process.platform === 'linux') expect(heicDecoderInUse().decoder).toBe('libheif');
    const decoded = await decodePhoto(fs.readFileSync(QUADRANTS));
    expect(decoded.image.width).toBe(320);
    // One failed file (an odd file, a full /tmp) says nothing about the next one.
    if (process.platform === 'linux') expect(heicDecoderInUse()).toEqual({ decoder: 'libheif', reason: null });
    // A damaged file is still reported as damaged, not as a broken decoder.
    const bytes = fs.readFileSync(QUADRANTS);
    await expect(decodePhoto(bytes.subarray(0, bytes.length - 50))).rejects.toMatchObject({
      code: 'unsupported',
      message: 'the file is truncated or damaged',
    });
    if (process.platform !== 'linux') return;
    fs.rmSync(fake); // gone after it was found (uninstalled while Facet runs): spawn fails with ENOENT
    expect((await decodePhoto(bytes)).image.width).toBe(320);
    expect(heicDecoderInUse()).toEqual({
      decoder: 'wasm',
      reason: expect.stringMatching(/^libheif cannot be started \(.*ENOENT.*\); using WebAssembly$/),
    });
  });

  it.skipIf(!HAS_HEIF_CONVERT || !HAS_HEIF_ENC)(
    'a HEIC with several images (a burst) decodes natively to its first image, and the next photo stays native',
    async () => {
      const work = tempDir();
      const wide = path.join(work, 'wide.jpg');
      const square = path.join(work, 'square.jpg');
      await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 220, g: 40, b: 40 } } })
        .jpeg()
        .toFile(wide);
      await sharp({ create: { width: 48, height: 48, channels: 3, background: { r: 40, g: 60, b: 220 } } })
        .jpeg()
        .toFile(square);
      const multi = path.join(work, 'multi.heic');
      expect(spawnSync('heif-enc', ['-o', multi, wide, square]).status).toBe(0);
      resetHeicDecoder();
      const decoded = await decodePhoto(multi);
      expect([decoded.originalWidth, decoded.originalHeight]).toEqual([96, 64]);
      expect(heicDecoderInUse()).toEqual({ decoder: 'libheif', reason: null });
      expect((await decodePhoto(QUADRANTS)).image.width).toBe(320);
      expect(heicDecoderInUse()).toEqual({ decoder: 'libheif', reason: null });
    },
  );

  it('an unknown FACET_HEIC_DECODER is refused clearly, before the library is opened', () => {
    process.env.FACET_HEIC_DECODER = 'libhef';
    resetHeicDecoder();
    const libraryDir = path.join(tempDir(), 'library');
    expect(() => Engine.open({ libraryDir })).toThrow(
      /^FACET_HEIC_DECODER=libhef is not a HEIC decoder: use native or wasm, or leave it unset$/,
    );
    expect(fs.existsSync(libraryDir)).toBe(false);
    process.env.FACET_HEIC_DECODER = 'native';
    resetHeicDecoder();
    expect(() => heicDecoderInUse()).not.toThrow();
  });
});

describeWithShared('HEVC HEIC through indexing', () => {
  const work = tempDir();
  const photos = path.join(work, 'photos');
  let files: FileInfo[];
  let faces: FaceInfo[];
  let stored: { id: number; format: string; thumbnail: string | null } | undefined;
  let shown: MediaFile | undefined;

  beforeAll(async () => {
    if (!HAS_HEIF_ENC) return;
    fs.mkdirSync(photos);
    await sharp(sharedPhotos('faces-celebs', 'couple.jpg'))
      .resize(1200)
      .withExif({ IFD0: { Make: 'Apple', Model: 'iPhone 15' }, IFD2: { DateTimeOriginal: '2024:07:14 15:30:00' } })
      .jpeg({ quality: 95 })
      .toFile(path.join(photos, 'couple.jpg'));
    const encoded = spawnSync('heif-enc', ['-q', '80', path.join(photos, 'couple.jpg'), '-o', path.join(photos, 'couple.heic')], {
      encoding: 'utf8',
    });
    expect(encoded.status, encoded.stderr).toBe(0);
    const engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
    try {
      await engine.index([photos]);
      files = unwrap(await engine.call('library.files', {}));
      faces = unwrap(await engine.call('library.faces', {}));
      stored = engine.library.db.prepare("SELECT id, format, thumbnail FROM photos WHERE path LIKE '%.heic'").get() as typeof stored;
      shown = resolveMediaFile(engine.library, { kind: 'photo', id: stored!.id });
    } finally {
      engine.close();
    }
  }, 120_000);

  it.skipIf(!HAS_HEIF_ENC)(
    `indexes with the same faces as the JPEG it was made from${HAS_HEIF_ENC ? '' : ' [skipped: heif-enc (Debian libheif-examples) is not installed]'}`,
    () => {
      const heic = files.find((f) => f.path.endsWith('.heic'))!;
      expect(heic).toMatchObject({ status: 'indexed', width: 1200, takenAt: '2024-07-14T15:30:00' }); // EXIF carried over by heif-enc
      expect(stored?.format).toBe('HEIC');
      expect(stored?.thumbnail).toBeTruthy();
      const facesOf = (name: string) => faces.filter((f) => f.photo.endsWith(name));
      const reference = facesOf('couple.jpg');
      expect(reference).toHaveLength(2);
      const fromHeic = facesOf('couple.heic');
      expect(fromHeic).toHaveLength(2);
      for (const face of reference)
        expect(Math.max(...fromHeic.map((other) => intersectionOverUnion(face.box, other.box)))).toBeGreaterThan(0.8);
    },
  );

  it.skipIf(!HAS_HEIF_ENC)('the viewer gets a full-size JPEG display copy, since Chromium cannot show HEIC', async () => {
    expect(shown).toMatchObject({ mimeType: 'image/jpeg', path: expect.stringMatching(/\.display\.jpg$/) });
    expect(await sharp(shown!.path).metadata()).toMatchObject({ format: 'jpeg', width: 1200 });
  });
});

describeWithShared('a HEIC group photo with small faces', () => {
  const saved = restoreEnvAfterEach(['PATH', 'FACET_TEST_CONVERT_LOG']);

  it.skipIf(!HAS_HEIF_ENC || !HAS_HEIF_CONVERT || process.platform !== 'linux')(
    'is decoded once: the detail image for its small faces comes from the display copy, not a second HEVC decode',
    async () => {
      const work = tempDir();
      const photos = path.join(work, 'photos');
      fs.mkdirSync(photos);
      // 3200 px wide: decoded at 1/8 for analysis (400 px), where these faces are too small to embed well.
      await sharp(sharedPhotos('groups', '10.jpg')).resize(3200).jpeg({ quality: 92 }).toFile(path.join(work, 'group.jpg'));
      const encoded = spawnSync('heif-enc', ['-q', '70', path.join(work, 'group.jpg'), '-o', path.join(photos, 'group.heic')], {
        encoding: 'utf8',
      });
      expect(encoded.status, encoded.stderr).toBe(0);
      // heif-convert behind a wrapper that notes each call.
      const bin = tempDir();
      const log = path.join(work, 'calls.log');
      const real = spawnSync('sh', ['-c', 'command -v heif-convert'], { encoding: 'utf8' }).stdout.trim();
      fs.writeFileSync(
        path.join(bin, 'heif-convert'),
        `#!/bin/sh\necho "tunables=$GLIBC_TUNABLES $@" >> "$FACET_TEST_CONVERT_LOG"\nexec ${real} "$@"\n`,
        {
          mode: 0o755,
        },
      );
      process.env.PATH = `${bin}${path.delimiter}${saved.PATH}`;
      process.env.FACET_TEST_CONVERT_LOG = log;
      resetHeicDecoder();
      const engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
      try {
        const result = await engine.index([photos]);
        expect(result.indexed).toBe(1);
        expect(result.faces).toBeGreaterThanOrEqual(3);
        const faces = unwrap(await engine.call('library.faces', {}));
        // The faces were small at the analysis size (so a detail image was needed) ...
        expect(Math.min(...faces.map((f) => f.box[2]))).toBeLessThan((56 / 400) * 3200);
      } finally {
        engine.close();
      }
      // ... and the HEVC decoder still ran once, with glibc asked for huge pages (huge-page-env.ts), writing
      // the decoded planes (the photo is large enough to be used at half size, decode.ts).
      const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatch(/^tunables=\S*glibc\.malloc\.hugetlb=1 .*\.y4m$/);
    },
    120_000,
  );
});
