import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine';
import { unwrap } from '../../../src/common/result';
import { describeWithShared, SHARED_MODELS, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

const HAS_HEIF_ENC = spawnSync('heif-enc', ['--version']).error === undefined;

describeWithShared('text in HEIC photos: read from the display copy indexing wrote, not from a second HEVC decode', () => {
  const work = tempDir('facet-text-heic-');

  it.skipIf(!HAS_HEIF_ENC)(
    `finds the sign in a HEIC as in the JPEG it was made from, in the original's pixels${HAS_HEIF_ENC ? '' : ' [skipped: heif-enc (Debian libheif-examples) is not installed]'}`,
    async () => {
      // 3200 px wide: larger than the 2,560 px display copy, so its pixels must be scaled back.
      const photos = path.join(work, 'photos');
      fs.mkdirSync(photos, { recursive: true });
      const svg = `<svg width="3200" height="2400" xmlns="http://www.w3.org/2000/svg"><rect x="900" y="800" width="1400" height="400" fill="#0b3d91"/><text x="1600" y="1080" font-family="DejaVu Sans" font-weight="bold" font-size="220" fill="#fff" text-anchor="middle">HARBOUR</text></svg>`;
      const jpeg = path.join(photos, 'sign.jpg');
      await sharp(sharedPhotos('objects', 'ocean_cyan.jpg'))
        .resize(3200, 2400, { fit: 'cover' })
        .composite([{ input: Buffer.from(svg) }])
        .jpeg({ quality: 92 })
        .toFile(jpeg);
      const heic = path.join(photos, 'sign.heic');
      const encoded = spawnSync('heif-enc', ['-q', '85', jpeg, '-o', heic], { encoding: 'utf8' });
      expect(encoded.status, encoded.stderr).toBe(0);
      const engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
      try {
        await engine.index([photos]);
        // Garbled after indexing (same size, so nothing looks changed to the job): a text job that decoded
        // the HEVC original would now fail; one that reads the display copy does not notice.
        const bytes = fs.readFileSync(heic);
        fs.writeFileSync(heic, Buffer.alloc(bytes.length, 7));
        await engine.runJobs({ kinds: ['backfill-text'] });
        const id = (file: string) => (engine.library.db.prepare('SELECT id FROM photos WHERE path = ?').get(file) as { id: number }).id;
        const fromHeic = unwrap(await engine.call('text.photo', { photoId: id(heic) }));
        const fromJpeg = unwrap(await engine.call('text.photo', { photoId: id(jpeg) }));
        expect(fromHeic.state).toBe('read');
        const line = (text: typeof fromHeic) => text.lines.find((l) => l.text === 'HARBOUR');
        expect(line(fromHeic), JSON.stringify(fromHeic.lines)).toBeDefined();
        expect(line(fromJpeg), JSON.stringify(fromJpeg.lines)).toBeDefined();
        // The same box in the original's pixels (the sign's text is centred at x 1600 in a 3200 px photo).
        const [hx, hy, hw, hh] = line(fromHeic)!.box;
        const [jx, jy, jw, jh] = line(fromJpeg)!.box;
        expect(hx + hw / 2).toBeCloseTo(1600, -2);
        for (const [a, b] of [
          [hx, jx],
          [hy, jy],
          [hw, jw],
          [hh, jh],
        ])
          expect(Math.abs(a! - b!)).toBeLessThan(32);
      } finally {
        engine.close();
      }
    },
    120_000,
  );
});
