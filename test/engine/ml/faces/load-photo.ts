import sharp from 'sharp';
import type { RgbImage } from '../../../../src/engine/imaging/rgb-image';

/** The spine's analysis size: long side at most this many pixels. */
export const ANALYSIS_LONG_SIDE = 1600;

export interface LoadedPhoto {
  image: RgbImage;
  /** image.width / original upright width, as the spine hands it over. */
  scale: number;
}

/** Decodes a photo the way the spine does: EXIF-upright, RGB, long side <= 1600 (shrink-on-load). */
export async function loadPhoto(input: string | Buffer, longSide = ANALYSIS_LONG_SIDE): Promise<LoadedPhoto> {
  const meta = await sharp(input).rotate().metadata();
  const swap = (meta.orientation ?? 1) >= 5;
  const originalWidth = (swap ? meta.height : meta.width) ?? 0;
  const { data, info } = await sharp(input)
    .rotate()
    .resize(longSide, longSide, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected RGB from sharp, got ${info.channels} channels`);
  const image = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  return { image, scale: originalWidth > 0 ? info.width / originalWidth : 1 };
}
