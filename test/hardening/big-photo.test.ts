import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../support/shared';
import { tempDir } from '../support/temp';
import { type ChildRun, startFacet } from './support/child';
import { photoRows } from './support/library-check';

const WIDTH = 12_000;
const HEIGHT = 8_400;
const RSS_LIMIT_MB = 1024;

/** Peak RSS (VmHWM) of a running child, read until it exits; 0 where /proc is not available. */
async function runMeasuringPeak(args: string[]): Promise<ChildRun & { peakMb: number }> {
  const { child, done } = startFacet(args);
  let peakKb = 0;
  const sample = () => {
    try {
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peakKb = Math.max(peakKb, kb);
    } catch {
      // exited between two samples
    }
  };
  const timer = setInterval(sample, 20);
  const run = await done;
  clearInterval(timer);
  return { ...run, peakMb: Math.round(peakKb / 1024) };
}

describeWithShared('resource limits: one 100-megapixel photo', () => {
  const work = tempDir('facet-big-');
  const photos = path.join(work, 'photos');
  let run: ChildRun & { peakMb: number };

  beforeAll(async () => {
    fs.mkdirSync(photos);
    // A real portrait scaled up to 12000×8400 (100.8 MP), as a high-resolution camera would write it,
    // with a sign in a corner, so the text job after it (check, detail decode, read) runs on it too.
    const sign =
      '<svg width="3600" height="900" xmlns="http://www.w3.org/2000/svg"><rect width="3600" height="900" rx="60" fill="#0b3d91"/><text x="1800" y="640" font-family="DejaVu Sans" font-weight="bold" font-size="520" fill="#fff" text-anchor="middle">MUSEUM</text></svg>';
    await sharp(sharedPhotos('faces-album', '2.jpg'))
      .resize(WIDTH, HEIGHT, { fit: 'fill', kernel: 'linear' })
      .composite([{ input: Buffer.from(sign), left: WIDTH - 4000, top: HEIGHT - 1300 }])
      .jpeg({ quality: 85 })
      .toFile(path.join(photos, 'huge.jpg'));
    run = await runMeasuringPeak(['index', photos, '--library', path.join(work, 'library'), '--models', SHARED_MODELS, '--device', 'cpu']);
    console.info(
      `100 MP photo (${(fs.statSync(path.join(photos, 'huge.jpg')).size / 1e6).toFixed(1)} MB JPEG): indexed in ${(run.ms / 1000).toFixed(1)} s, peak RSS of the CLI ${run.peakMb} MB`,
    );
  }, 300_000);

  it('reads the sign in it: text in photos stays within the same memory (`facet index` above ran the text job in the foreground)', () => {
    const db = new Database(path.join(work, 'library', 'facet.db'), { readonly: true });
    try {
      const lines = db.prepare('SELECT text FROM photo_text_lines').pluck().all() as string[];
      expect(lines).toContain('MUSEUM');
    } finally {
      db.close();
    }
  });

  it(`indexes with its face, the CLI's peak RSS under ${RSS_LIMIT_MB} MB`, () => {
    expect(run.code, run.stderr).toBe(0);
    const [row] = photoRows(path.join(work, 'library'));
    expect(row).toMatchObject({ status: 'indexed', faces: 1 });
    if (fs.existsSync('/proc/self/status')) {
      expect(run.peakMb).toBeGreaterThan(50); // the sampler really read the child
      expect(run.peakMb).toBeLessThan(RSS_LIMIT_MB);
    }
  });
});
