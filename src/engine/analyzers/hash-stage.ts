import sharp from 'sharp';
import type { RgbImage } from '../imaging/rgb-image';
import { perceptualHash } from '../imaging/perceptual-hash';
import type { PhotoAnalyzer } from './analyzer';
import { PhotoStore } from '../library/photo-store';

/**
 * The hash's 32×32 grids need only ~5 px per cell: shrinking first, in libvips (off the JS thread,
 * which onnxruntime's inference also occupies), cuts the hash's main-thread cost about tenfold.
 */
const HASH_SOURCE_LONG_SIDE = 192;

async function shrinkForHash(image: RgbImage): Promise<RgbImage> {
  if (Math.max(image.width, image.height) <= HASH_SOURCE_LONG_SIDE) return image;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(HASH_SOURCE_LONG_SIDE, HASH_SOURCE_LONG_SIDE, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** The perceptual hash (near-duplicates without any model) from the shared decode. */
export function createPerceptualHashAnalyzer(): PhotoAnalyzer {
  return {
    name: 'perceptual-hash',
    async analyze({ photoId, decoded }) {
      const hash = perceptualHash(await shrinkForHash(decoded.image));
      return (db) => {
        new PhotoStore(db).setPerceptualHash(photoId, hash);
      };
    },
  };
}
