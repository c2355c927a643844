/**
 * A decoded, upright (EXIF orientation applied) image as packed 8-bit RGB, row-major, 3 channels.
 * This is what every analyzer (face detector, CLIP, perceptual hash) receives from the one decode.
 * `scale` maps it back to the original: originalPixel = pixel / scale.
 */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * The viewer's copy of a photo. Its pixels are sRGB, or, when `icc` is set, in the photo's own colour space
 * (an iPhone's Display P3): converting 12 MP to sRGB cost more than the rest of the decode (see decode.ts),
 * so only the images the analyzers see are converted, and the viewer's JPEG carries the profile instead.
 */
export interface DisplayImage extends RgbImage {
  icc?: Buffer;
}

export interface DecodedPhoto {
  image: RgbImage;
  /** Upright size of the original file, in pixels. */
  originalWidth: number;
  originalHeight: number;
  /** image.width / originalWidth. */
  scale: number;
  /** The larger copy asked for with `displayLongSide`, from the same decode. */
  display?: DisplayImage;
}
