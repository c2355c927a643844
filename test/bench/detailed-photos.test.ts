import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, expect, it } from 'vitest';
import { detailedPhotos } from '../../bench/detailed-photos';
import { decodePhoto } from '../../src/engine/imaging/decode';
import { heicDecoderInUse, resetHeicDecoder } from '../../src/engine/imaging/heic-decoder';
import { laplacianVariance } from '../../src/engine/imaging/laplacian';
import { describeWithShared, sharedPhotos } from '../support/shared';
import { tempDir } from '../support/temp';

const HAS_LIBHEIF_TOOLS =
  spawnSync('heif-enc', ['--help']).error === undefined && spawnSync('heif-convert', ['--help']).error === undefined;
const SOURCES = ['faces-celebs', 'faces-album', 'groups', 'objects'].map((dir) => sharedPhotos(dir));
const WIDTH = 1600;
const HEIGHT = 1200;

async function rgb(file: string): Promise<Buffer> {
  return sharp(file).raw().toBuffer();
}

describeWithShared("the HEIC bench's detailed photos (mosaics of real photos at native resolution)", () => {
  afterEach(() => resetHeicDecoder());

  it('are reproducible per index, carry real detail where upscaling smooths it away, and add luma-only grain', async () => {
    const work = tempDir();
    const clean = await detailedPhotos(SOURCES, { width: WIDTH, height: HEIGHT, noiseSigma: 0 });
    const noisy = await detailedPhotos(SOURCES, { width: WIDTH, height: HEIGHT, noiseSigma: 2.5 });
    const file = (name: string) => path.join(work, name);
    await clean(1, file('clean-1.png'));
    await clean(0, file('clean-0.png'));
    await clean(1, file('clean-1-again.png'));
    await noisy(1, file('noisy-1.png'));

    // Photo i depends on i alone: written after photo 0, it is the same pixels.
    expect((await rgb(file('clean-1-again.png'))).equals(await rgb(file('clean-1.png')))).toBe(true);
    expect((await rgb(file('clean-0.png'))).equals(await rgb(file('clean-1.png')))).toBe(false);
    expect(await sharp(file('clean-1.png')).metadata()).toMatchObject({ width: WIDTH, height: HEIGHT, channels: 3 });
    // In colour (a mosaic assembled as one grey band once passed everything else).
    const pixels = await rgb(file('clean-1.png'));
    let colour = 0;
    for (let i = 0; i < pixels.length; i += 3) colour += Math.abs(pixels[i]! - pixels[i + 1]!) + Math.abs(pixels[i + 2]! - pixels[i + 1]!);
    expect(colour / (WIDTH * HEIGHT)).toBeGreaterThan(10);

    // The smooth set's way (one source scaled up to fill the frame) against the mosaic, noise off in both:
    // the mosaic's cells are at native resolution or shrunk, so their edges are several times sharper.
    const smooth = await sharp(sharedPhotos('faces-celebs', 'img22.jpg'))
      .resize(WIDTH * 2, HEIGHT * 2, { fit: 'cover' })
      .raw()
      .toBuffer();
    const detail = laplacianVariance(await rgb(file('clean-1.png')), WIDTH, HEIGHT);
    expect(detail).toBeGreaterThan(3 * laplacianVariance(smooth, WIDTH * 2, HEIGHT * 2));

    // The grain: the same offset on R, G and B of a pixel, about 2.5 levels wide (less where clipped at 0 or 255).
    const a = await rgb(file('clean-1.png'));
    const b = await rgb(file('noisy-1.png'));
    let squares = 0;
    let counted = 0;
    let chroma = 0;
    for (let i = 0; i < a.length; i += 3) {
      const offsets = [0, 1, 2].map((c) => b[i + c]! - a[i + c]!);
      if ([0, 1, 2].some((c) => a[i + c]! < 10 || a[i + c]! > 245)) continue;
      squares += offsets[0]! ** 2;
      counted++;
      if (offsets[1] !== offsets[0] || offsets[2] !== offsets[0]) chroma++;
    }
    expect(Math.sqrt(squares / counted)).toBeGreaterThan(2.2);
    expect(Math.sqrt(squares / counted)).toBeLessThan(2.8);
    expect(chroma).toBe(0);
  });

  it('with colourProfile p3, are the same photos in Display P3 and tagged with its profile, as an iPhone stores them', async () => {
    const work = tempDir();
    const srgb = path.join(work, 'srgb.png');
    const p3 = path.join(work, 'p3.png');
    await (
      await detailedPhotos(SOURCES, { width: WIDTH, height: HEIGHT, noiseSigma: 0 })
    )(2, srgb);
    await (
      await detailedPhotos(SOURCES, { width: WIDTH, height: HEIGHT, noiseSigma: 0, colourProfile: 'p3' })
    )(2, p3);
    expect((await sharp(srgb).metadata()).icc).toBeUndefined();
    const tagged = await sharp(p3).metadata();
    const displayP3 = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .withIccProfile('p3')
      .png()
      .toBuffer();
    expect(tagged.icc?.equals((await sharp(displayP3).metadata()).icc!)).toBe(true);
    // Converted, not only tagged: the numbers differ, and converted back through the profile they are the photo.
    const back = await sharp(p3).toColourspace('srgb').raw().toBuffer();
    const asNumbers = await sharp(p3, { ignoreIcc: true }).raw().toBuffer();
    const original = await rgb(srgb);
    const difference = (a: Buffer) => a.reduce((sum, v, i) => sum + Math.abs(v - original[i]!), 0) / a.length;
    expect(difference(back)).toBeLessThan(1);
    expect(difference(asNumbers)).toBeGreaterThan(1.5);
  });

  it('refuses sources that would have to be enlarged to fill a cell', async () => {
    // faces-album's largest photo is 1024 × 1365: far too small for the 2000 × 1500 cells of a 12 MP photo.
    await expect(detailedPhotos([sharedPhotos('faces-album')], { width: 4000, height: 3000, noiseSigma: 0 })).rejects.toThrow(
      /large enough for 2000×1500 cells/,
    );
  });

  it.skipIf(!HAS_LIBHEIF_TOOLS)(
    `encode with heif-enc and index through the native decoder at full size${HAS_LIBHEIF_TOOLS ? '' : ' [skipped: no heif-enc/heif-convert]'}`,
    async () => {
      const work = tempDir();
      const png = path.join(work, 'photo.png');
      await (
        await detailedPhotos(SOURCES, { width: WIDTH, height: HEIGHT, noiseSigma: 2.5 })
      )(3, png);
      const heic = path.join(work, 'photo.heic');
      execFileSync('heif-enc', ['-q', '60', png, '-o', heic]);
      const decoded = await decodePhoto(fs.readFileSync(heic), { displayLongSide: 2560 });
      expect(heicDecoderInUse().decoder).toBe('libheif');
      expect([decoded.originalWidth, decoded.originalHeight]).toEqual([WIDTH, HEIGHT]);
      expect([decoded.display?.width, decoded.display?.height]).toEqual([WIDTH, HEIGHT]);
      // HEVC at quality 60 keeps most of the detail: the decode stays close to the source.
      const source = await rgb(png);
      let sum = 0;
      for (let i = 0; i < source.length; i++) sum += Math.abs(source[i]! - decoded.display!.data[i]!);
      expect(sum / source.length).toBeLessThan(8);
    },
  );
});
