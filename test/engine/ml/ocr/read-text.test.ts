import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { generateTextPhotos, hasCjkFont, type TextPhoto } from '../../../../bench/text-photos';
import { decodePhoto } from '../../../../src/engine/imaging/decode';
import { checkPhotoText, readPhotoText, TEXT_READ_LONG_SIDE } from '../../../../src/engine/jobs/text-pass';
import type { OcrModels } from '../../../../src/engine/ml/ocr-models';
import { MAX_TEXT_LINES, readText } from '../../../../src/engine/ml/ocr/read-text';
import { detectTextPresence } from '../../../../src/engine/ml/ocr/text-gate';
import { matchPhotoText } from '../../../../src/engine/search/photo-text-match';
import { normalizeText } from '../../../../src/engine/library/normalize-text';
import { describeWithShared, sharedPhotos } from '../../../support/shared';
import { tempDir } from '../../../support/temp';
import { embeddedOcrModels, SIGN_BACKGROUNDS } from './ocr-support';

describeWithShared('text in photos: the embedded PP-OCRv4 models on real photos with signs', () => {
  const work = tempDir('facet-ocr-read-');
  let models: OcrModels;
  let photos: TextPhoto[];

  beforeAll(async () => {
    models = await embeddedOcrModels();
    photos = await generateTextPhotos({
      backgrounds: SIGN_BACKGROUNDS,
      target: path.join(work, 'signs'),
      perScript: { latin: 5, digits: 2, chinese: hasCjkFont() ? 2 : 0 },
      distractors: 0,
      seed: 5,
    });
  });

  it('loads from the npm package with no download, on Facet’s own runtime', () => {
    expect(models.modelId).toBe('ppocr-v4-det+ppocr-v4-rec-ch');
    expect(models.recognizers).toHaveLength(1);
    expect(models.recognizers[0]!.dictionary.length).toBe(6623);
    expect(models.provider).toBe('cpu');
  });

  it('reads the word on every sign well enough for text search to find it (rotated, several fonts and sizes)', async () => {
    for (const photo of photos) {
      const reading = await readText((await decodePhoto(photo.file, { longSide: TEXT_READ_LONG_SIDE })).image, models);
      const lines = reading.lines.map((l) => ({ photoId: 1, norm: normalizeText(l.text), confidence: l.confidence }));
      expect(
        matchPhotoText(lines, photo.query!),
        `${photo.query} in ${path.basename(photo.file)}; read ${JSON.stringify(reading.lines.map((l) => l.text))}`,
      ).toHaveLength(1);
      for (const line of reading.lines) {
        expect(line.confidence).toBeGreaterThanOrEqual(0.5);
        expect(line.rect.width).toBeGreaterThan(line.rect.height);
      }
    }
  });

  it('the product’s read (the check, then a decode sized for the text it saw, detection only there) finds all but at most one of the signs', async () => {
    const missed: string[] = [];
    for (const photo of photos) {
      const bytes = fs.readFileSync(photo.file);
      const seen = await checkPhotoText(bytes, models);
      if (!seen) {
        missed.push(`${photo.query}: the check saw no text`);
        continue;
      }
      const { reading } = await readPhotoText(bytes, models, seen);
      const lines = reading.lines.map((l) => ({ photoId: 1, norm: normalizeText(l.text), confidence: l.confidence }));
      if (matchPhotoText(lines, photo.query!).length === 0)
        missed.push(`${photo.query}: read ${JSON.stringify(reading.lines.map((l) => l.text))}`);
    }
    expect(missed.length, missed.join('; ')).toBeLessThanOrEqual(1);
  });

  it('reads a clear sign exactly, with its angle, and tags the language by script', async () => {
    const file = path.join(work, 'clear.jpg');
    const svg = `<svg width="1600" height="1200" xmlns="http://www.w3.org/2000/svg"><g transform="rotate(-10 800 500)"><rect x="450" y="400" width="700" height="200" fill="#0b3d91"/><text x="800" y="540" font-family="DejaVu Sans" font-weight="bold" font-size="110" fill="#fff" text-anchor="middle">HARBOUR</text></g></svg>`;
    await sharp(sharedPhotos('objects', 'ocean_cyan.jpg'))
      .resize(1600, 1200, { fit: 'cover' })
      .composite([{ input: Buffer.from(svg) }])
      .jpeg()
      .toFile(file);
    const reading = await readText((await decodePhoto(file)).image, models);
    const harbour = reading.lines.find((l) => l.text === 'HARBOUR');
    expect(harbour, JSON.stringify(reading.lines.map((l) => l.text))).toBeDefined();
    expect(harbour!.language).toBe('en');
    expect((harbour!.rect.angle * 180) / Math.PI).toBeCloseTo(-10, 0);
    expect(harbour!.rect.cx).toBeGreaterThan(700);
    expect(harbour!.rect.cx).toBeLessThan(900);
  });

  it('the low-resolution check sends photos with signs to the full read and lets plain photos skip it', async () => {
    // The check trades a little recall for speed (light, thin text on a light background can slip
    // through, see text-gate.ts): at least 8 of these 9 signs must pass it.
    let passed = 0;
    for (const photo of photos) if ((await detectTextPresence(models.detector, (await decodePhoto(photo.file)).image)).hasText) passed++;
    expect(passed).toBeGreaterThanOrEqual(photos.length - 1);
    // Photos with no writing in them: a portrait, a cat, fruit, a jellyfish, the sea.
    for (const file of [
      sharedPhotos('astronaut.png'),
      sharedPhotos('objects', 'limes.jpg'),
      sharedPhotos('objects', 'cat_black.jpg'),
      sharedPhotos('objects', 'jellyfish_blue.jpg'),
      sharedPhotos('objects', 'ocean_cyan.jpg'),
    ]) {
      expect((await detectTextPresence(models.detector, (await decodePhoto(file)).image)).hasText, file).toBe(false);
    }
  });

  it('caps a photo with thousands of text boxes: the strongest lines are read, the rest reported as truncated', async () => {
    const file = path.join(work, 'wall-of-text.png');
    const words = ['AB', 'CD', 'EF', '12', 'GH', '34', 'IJ', 'KL'];
    let svg = '<svg width="3000" height="2000" xmlns="http://www.w3.org/2000/svg"><rect width="3000" height="2000" fill="#fff"/>';
    for (let row = 0; row < 50; row++)
      for (let col = 0; col < 40; col++)
        svg += `<text x="${10 + col * 74}" y="${30 + row * 39}" font-family="DejaVu Sans" font-size="26" fill="#000">${words[(row * 7 + col) % words.length]}</text>`;
    fs.writeFileSync(
      file,
      await sharp(Buffer.from(`${svg}</svg>`))
        .png()
        .toBuffer(),
    );
    const decoded = await decodePhoto(file, { longSide: TEXT_READ_LONG_SIDE });
    const reading = await readText(decoded.image, models);
    expect(reading.regions).toBeGreaterThan(MAX_TEXT_LINES);
    expect(reading.truncated).toBe(true);
    expect(reading.lines.length).toBeLessThanOrEqual(MAX_TEXT_LINES);
    expect(reading.lines.length).toBeGreaterThan(MAX_TEXT_LINES / 2);
  });
});
