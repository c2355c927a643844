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

export interface DecodedPhoto {
  image: RgbImage;
  /** Upright size of the original file, in pixels. */
  originalWidth: number;
  originalHeight: number;
  /** image.width / originalWidth. */
  scale: number;
  /** The larger copy asked for with `displayLongSide`, from the same decode. */
  display?: RgbImage;
}
