import sharp from 'sharp';
import type { RgbImage } from '../../imaging/rgb-image';

export interface ClipPreprocess {
  imageSize: number;
  resizeMode: 'shortest' | 'squash';
  crop: 'center' | 'none';
  /** In 0..1 units (pixel / 255). */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/**
 * CLIP's image transform (torchvision Resize(size, BICUBIC) → CenterCrop(size) → ToTensor → Normalize)
 * applied to the RgbImage the indexer already decoded. sharp does the bicubic resample (its `cubic`
 * kernel is Catmull-Rom, PIL's BICUBIC, and it antialiases when shrinking as PIL does).
 * Returns float32 CHW, ready to be copied into an NCHW batch.
 */
export async function clipPixelValues(image: RgbImage, p: ClipPreprocess): Promise<Float32Array> {
  const square = await resizeAndCrop(image, p);
  return normalizeToChw(square, p.mean, p.std);
}

/** Pixel values for a batch, laid out as one contiguous NCHW tensor. */
export async function clipPixelBatch(images: readonly RgbImage[], p: ClipPreprocess): Promise<Float32Array> {
  const perImage = 3 * p.imageSize * p.imageSize;
  const batch = new Float32Array(images.length * perImage);
  const tensors = await Promise.all(images.map((image) => clipPixelValues(image, p)));
  tensors.forEach((tensor, i) => batch.set(tensor, i * perImage));
  return batch;
}

export async function resizeAndCrop(image: RgbImage, p: ClipPreprocess): Promise<RgbImage> {
  const size = p.imageSize;
  const { width, height } = p.resizeMode === 'squash' ? { width: size, height: size } : shortestSideSize(image.width, image.height, size);
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (width !== image.width || height !== image.height) pipeline = pipeline.resize(width, height, { kernel: 'cubic', fit: 'fill' });
  if (p.crop === 'center' && (width !== size || height !== size)) {
    pipeline = pipeline.extract({ left: centerOffset(width, size), top: centerOffset(height, size), width: size, height: size });
  }
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** torchvision Resize(int): the short side becomes `size`, the long side int(size * long / short). */
export function shortestSideSize(width: number, height: number, size: number): { width: number; height: number } {
  if (width <= height) return { width: size, height: Math.floor((size * height) / width) };
  return { width: Math.floor((size * width) / height), height: size };
}

/** torchvision CenterCrop: int(round((length - size) / 2)), where Python rounds halves to even. */
export function centerOffset(length: number, size: number): number {
  const half = (length - size) / 2;
  const floor = Math.floor(half);
  if (half - floor !== 0.5) return Math.round(half);
  return floor % 2 === 0 ? floor : floor + 1;
}

export function normalizeToChw(image: RgbImage, mean: readonly number[], std: readonly number[]): Float32Array {
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const m = mean[c]!;
    const s = std[c]!;
    for (let i = 0; i < plane; i++) out[c * plane + i] = (image.data[i * 3 + c]! / 255 - m) / s;
  }
  return out;
}
