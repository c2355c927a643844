import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, expect, it } from 'vitest';
import { writeGridHeic } from '../../bench/heic-grid';
import { decodePhoto } from '../../src/engine/imaging/decode';
import { heicDecoderInUse, resetHeicDecoder } from '../../src/engine/imaging/heic-decoder';
import { decodeHevcHeic } from '../../src/engine/imaging/hevc-heic';
import { describeWithShared, sharedPhotos } from '../support/shared';
import { tempDir } from '../support/temp';

const HAS_LIBHEIF_TOOLS =
  spawnSync('heif-enc', ['--help']).error === undefined && spawnSync('heif-convert', ['--help']).error === undefined;

/** Mean absolute difference per channel, and the worst 64×64 block's (a misplaced tile shows there). */
function difference(a: Uint8Array, aChannels: number, b: Uint8Array, bChannels: number, width: number, height: number) {
  let total = 0;
  let worst = 0;
  for (let by = 0; by < height; by += 64) {
    for (let bx = 0; bx < width; bx += 64) {
      let sum = 0;
      let count = 0;
      for (let y = by; y < Math.min(by + 64, height); y++) {
        for (let x = bx; x < Math.min(bx + 64, width); x++) {
          const i = y * width + x;
          for (let c = 0; c < 3; c++) sum += Math.abs(a[i * aChannels + c]! - b[i * bChannels + c]!);
          count += 3;
        }
      }
      total += sum;
      worst = Math.max(worst, sum / count);
    }
  }
  return { mean: total / (width * height * 3), worst };
}

describeWithShared("the bench's iPhone-style grid HEIC (512×512 HEVC tiles under a 'grid' item)", () => {
  afterEach(() => resetHeicDecoder());

  it.skipIf(!HAS_LIBHEIF_TOOLS)(
    `decodes natively and in WebAssembly to the source's pixels, edge tiles cropped${HAS_LIBHEIF_TOOLS ? '' : ' [skipped: no heif-enc/heif-convert]'}`,
    async () => {
      const work = tempDir();
      const source = path.join(work, 'source.jpg');
      // 1100 × 700: three columns and two rows of tiles, the last of each running past the picture.
      await sharp(sharedPhotos('faces-celebs', 'couple.jpg')).resize(1100, 700, { fit: 'cover' }).jpeg({ quality: 95 }).toFile(source);
      const grid = path.join(work, 'grid.heic');
      await writeGridHeic(source, grid, { quality: 80 });

      const info = spawnSync('heif-info', [grid], { encoding: 'utf8' }).stdout;
      expect(info).toContain('image: 1100x700');
      expect(await sharp(grid).metadata()).toMatchObject({ format: 'heif', compression: 'hevc', width: 1100, height: 700 });
      const expected = await sharp(source).raw().toBuffer();

      const wasm = await decodeHevcHeic(fs.readFileSync(grid));
      expect([wasm.width, wasm.height]).toEqual([1100, 700]);
      const wasmDiff = difference(wasm.data, 4, expected, 3, 1100, 700);
      expect(wasmDiff.mean).toBeLessThan(4);
      expect(wasmDiff.worst).toBeLessThan(12);

      // Through Facet's own decode, with the native decoder (the display copy is the full-size check).
      resetHeicDecoder();
      expect(heicDecoderInUse().decoder).toBe('libheif');
      const native = await decodePhoto(grid, { displayLongSide: 2560 });
      expect([native.originalWidth, native.originalHeight, native.display?.width, native.display?.height]).toEqual([1100, 700, 1100, 700]);
      const nativeDiff = difference(native.display!.data, 3, expected, 3, 1100, 700);
      expect(nativeDiff.mean).toBeLessThan(4);
      expect(nativeDiff.worst).toBeLessThan(12);
      // A tile put in the wrong place would be far off: swapping the first two rows of tiles shows how far.
      const swapped = Buffer.from(expected);
      expected.copy(swapped, 0, 512 * 1100 * 3, 700 * 1100 * 3);
      expect(difference(native.display!.data, 3, swapped, 3, 1100, 700).worst).toBeGreaterThan(12);
    },
    120_000,
  );
});
