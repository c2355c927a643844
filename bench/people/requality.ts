/**
 * Rewrites the quality of every face in an embed-variants.ts cache with other ramps (size full at
 * `sizeFull` px, sharpness full at log10 `sharpFull`, a JPEG-blocking penalty of weight `blockWeight`),
 * so flow.ts measures what a different face quality would do to clustering and the review flow.
 * Run: npx vite-node bench/people/requality.ts -- <fromDir> <toDir> <sizeFull> <sharpFull> <blockWeight>
 * (40 1.9 0 is the shipped quality).
 */
import fs from 'node:fs';
import type { VariantFace } from './embed-variants';
const ramp = (v: number, lo: number, hi: number) => Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
const [from, to, sizeFull, sharpFull, blockWeight] = process.argv.slice(2).filter((a) => a !== '--');
fs.mkdirSync(to!, { recursive: true });
for (const s of ['celebs', 'lfw', 'hard-celebs', 'hard-lfw']) {
  const f = JSON.parse(fs.readFileSync(`${from}/${s}.json`, 'utf8')) as VariantFace[];
  for (const x of f) {
    x.quality =
      ramp(x.size, 12, Number(sizeFull)) *
      ramp(x.sharpnessLog, 0.7, Number(sharpFull)) *
      (1 - x.pose) *
      ramp(x.score, 0.5, 0.9) *
      (1 - Number(blockWeight) * ramp(x.blocking, 0.2, 0.6));
  }
  fs.writeFileSync(`${to}/${s}.json`, JSON.stringify(f));
}
