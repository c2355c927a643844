import sharp from 'sharp';
import type { RgbImage } from '../../imaging/rgb-image';

/** YuNet's feature maps need input sides that are multiples of its coarsest stride. */
export const YUNET_DIVISOR = 32;

export function padToDivisor(side: number): number {
  return Math.ceil(side / YUNET_DIVISOR) * YUNET_DIVISOR;
}

/**
 * Packs an RGB image into YuNet's input: planar BGR float32 0-255, no normalisation, with the image in
 * the top-left corner and zeros to the right/bottom (as OpenCV's padWithDivisor does).
 */
export function toYunetTensorData(image: RgbImage, tensorWidth: number, tensorHeight: number): Float32Array {
  const plane = tensorWidth * tensorHeight;
  const out = new Float32Array(3 * plane);
  const { data, width, height } = image;
  for (let y = 0; y < height; y++) {
    let src = y * width * 3;
    let dst = y * tensorWidth;
    for (let x = 0; x < width; x++, src += 3, dst++) {
      out[dst] = data[src + 2]!; // B
      out[plane + dst] = data[src + 1]!; // G
      out[2 * plane + dst] = data[src]!; // R
    }
  }
  return out;
}

/** Resizes an RGB image with sharp (libvips, off the JS thread); used for the coarse pass. */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}
