// AssemblyScript (compiled by scripts/build-wasm.mjs into half-resolution-rgb.wasm.ts; not TypeScript): the
// kernels of a large HEIC's decode from its planes (../ycbcr-planes.ts).
//
// RGB at half a 4:2:0 picture's size: each pixel the mean of a 2×2 luma block with the one chroma sample
// 4:2:0 stores for it, converted as JFIF YCbCr (BT.601, full range). See ../ycbcr-planes.ts for why this
// conversion and why by hand. Sixteen output pixels a step in 128-bit SIMD, the rest one at a time by the
// same arithmetic, so every pixel of a picture gets the same rounding.
//
// Fixed point: luma and chroma differences are held in 64ths of a level (a 2×2 sum × 16, a difference × 64),
// which fits i16 lanes at every step (at most 16,320 + 8,128 + 6,275). The coefficients above 1 are split
// as 1 + a Q15 fraction, multiplied with i16x8.q15mulr_sat_s. Each pixel is within one level of the
// double-precision formula (the test's reference).

const CR_TO_R: i16 = 13173; // 1.402 = 1 + 0.402
const CB_TO_G: i16 = 11277; // 0.344136
const CR_TO_G: i16 = 23401; // 0.714136
const CB_TO_B: i16 = 25297; // 1.772 = 1 + 0.772
const FRACTION_BITS = 6;
/** Half a level in 64ths: added before the shift to round to the nearest level. */
const HALF_LEVEL: i16 = 32;

function q15(a: i32, b: i32): i32 {
  return (a * b + 0x4000) >> 15;
}

function toByte(sixtyFourths: i32): u8 {
  const level = (sixtyFourths + HALF_LEVEL) >> FRACTION_BITS;
  return <u8>(level < 0 ? 0 : level > 255 ? 255 : level);
}

function rounded(sixtyFourths: v128): v128 {
  return i16x8.shr_s(i16x8.add(sixtyFourths, i16x8.splat(HALF_LEVEL)), FRACTION_BITS);
}

/** Eight chroma samples as differences from 128, in 64ths. */
function chromaDifference(samples: v128): v128 {
  return i16x8.shl(i16x8.sub(samples, i16x8.splat(128)), FRACTION_BITS);
}

/** Eight 2×2 luma means, in 64ths: sixteen bytes of the top row and the sixteen under them. */
function lumaMeans(top: v128, bottom: v128): v128 {
  return i16x8.shl(i16x8.add(i16x8.extadd_pairwise_i8x16_u(top), i16x8.extadd_pairwise_i8x16_u(bottom)), FRACTION_BITS - 2);
}

/**
 * Writes floor(lumaWidth / 2) × floor(lumaHeight / 2) RGB pixels (at least 1 × 1) to `out` from the planes at
 * `y` (lumaWidth × lumaHeight), `cb` and `cr` (each ceil(lumaWidth / 2) wide). A one-pixel-wide or -high
 * picture reads its only column or row twice.
 */
export function halfResolutionRgb(y: usize, cb: usize, cr: usize, out: usize, lumaWidth: i32, lumaHeight: i32): void {
  const width = max(1, lumaWidth >> 1);
  const height = max(1, lumaHeight >> 1);
  const chromaWidth = <usize>((lumaWidth + 1) >> 1);
  const nextColumn: usize = lumaWidth > 1 ? 1 : 0;
  const nextRow: usize = lumaHeight > 1 ? <usize>lumaWidth : 0;
  // A block reads 32 luma bytes of each row and 16 chroma bytes, all inside the row while 16 pixels remain.
  const blocks = lumaWidth > 1 ? width >> 4 : 0;
  const crToR = i16x8.splat(CR_TO_R);
  const cbToG = i16x8.splat(CB_TO_G);
  const crToG = i16x8.splat(CR_TO_G);
  const cbToB = i16x8.splat(CB_TO_B);
  let o = out;
  for (let row = 0; row < height; row++) {
    let top = y + <usize>(2 * row) * <usize>lumaWidth;
    let bottom = top + nextRow;
    let blue = cb + <usize>row * chromaWidth;
    let red = cr + <usize>row * chromaWidth;
    for (let block = 0; block < blocks; block++) {
      const luma0 = lumaMeans(v128.load(top), v128.load(bottom));
      const luma1 = lumaMeans(v128.load(top, 16), v128.load(bottom, 16));
      const cbBytes = v128.load(blue);
      const crBytes = v128.load(red);
      const db0 = chromaDifference(i16x8.extend_low_i8x16_u(cbBytes));
      const db1 = chromaDifference(i16x8.extend_high_i8x16_u(cbBytes));
      const dr0 = chromaDifference(i16x8.extend_low_i8x16_u(crBytes));
      const dr1 = chromaDifference(i16x8.extend_high_i8x16_u(crBytes));
      // Narrowing to u8 saturates: the clip to 0-255 a JPEG decoder's range limit does.
      const r = i8x16.narrow_i16x8_u(
        rounded(i16x8.add(i16x8.add(luma0, dr0), i16x8.q15mulr_sat_s(dr0, crToR))),
        rounded(i16x8.add(i16x8.add(luma1, dr1), i16x8.q15mulr_sat_s(dr1, crToR))),
      );
      const g = i8x16.narrow_i16x8_u(
        rounded(i16x8.sub(i16x8.sub(luma0, i16x8.q15mulr_sat_s(db0, cbToG)), i16x8.q15mulr_sat_s(dr0, crToG))),
        rounded(i16x8.sub(i16x8.sub(luma1, i16x8.q15mulr_sat_s(db1, cbToG)), i16x8.q15mulr_sat_s(dr1, crToG))),
      );
      const b = i8x16.narrow_i16x8_u(
        rounded(i16x8.add(i16x8.add(luma0, db0), i16x8.q15mulr_sat_s(db0, cbToB))),
        rounded(i16x8.add(i16x8.add(luma1, db1), i16x8.q15mulr_sat_s(db1, cbToB))),
      );
      // Interleave: R and G pairs first, then B slotted in, 16 bytes of RGBRGB… a store.
      const rg0 = i8x16.shuffle(r, g, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 0, 0, 0, 0, 0);
      v128.store(o, i8x16.shuffle(rg0, b, 0, 1, 16, 2, 3, 17, 4, 5, 18, 6, 7, 19, 8, 9, 20, 10));
      const rg1 = i8x16.shuffle(r, g, 21, 6, 22, 7, 23, 8, 24, 9, 25, 10, 26, 0, 0, 0, 0, 0);
      v128.store(o, i8x16.shuffle(rg1, b, 0, 21, 1, 2, 22, 3, 4, 23, 5, 6, 24, 7, 8, 25, 9, 10), 16);
      const rg2 = i8x16.shuffle(r, g, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31, 0, 0, 0, 0, 0, 0);
      v128.store(o, i8x16.shuffle(rg2, b, 26, 0, 1, 27, 2, 3, 28, 4, 5, 29, 6, 7, 30, 8, 9, 31), 32);
      o += 48;
      top += 32;
      bottom += 32;
      blue += 16;
      red += 16;
    }
    for (let column = blocks << 4; column < width; column++) {
      const luma =
        (<i32>load<u8>(top) + <i32>load<u8>(top + nextColumn) + <i32>load<u8>(bottom) + <i32>load<u8>(bottom + nextColumn)) <<
        (FRACTION_BITS - 2);
      const db = (<i32>load<u8>(blue) - 128) << FRACTION_BITS;
      const dr = (<i32>load<u8>(red) - 128) << FRACTION_BITS;
      store<u8>(o, toByte(luma + dr + q15(dr, CR_TO_R)));
      store<u8>(o + 1, toByte(luma - q15(db, CB_TO_G) - q15(dr, CR_TO_G)));
      store<u8>(o + 2, toByte(luma + db + q15(db, CB_TO_B)));
      o += 3;
      top += 2;
      bottom += 2;
      blue++;
      red++;
    }
  }
}

/**
 * Shrinks `rows` rows of `width` RGB pixels at `rgb` by `factor` (2-16) in both directions: each output
 * pixel the rounded mean of a factor × factor block, as libjpeg's shrink-on-load makes a JPEG's analysis
 * image from its 8 × 8 blocks. Writes floor(width / factor) × floor(rows / factor) pixels to `out`; `sums`
 * is scratch for one row of column sums (width × 3 u16). The columns and rows of an incomplete block are
 * left out.
 */
export function boxShrunkRgb(rgb: usize, sums: usize, out: usize, width: i32, rows: i32, factor: i32): void {
  const rowBytes = <usize>width * 3;
  const outWidth = width / factor;
  const area = factor * factor;
  let o = out;
  for (let outRow = 0; outRow < rows / factor; outRow++) {
    const first = rgb + <usize>(outRow * factor) * rowBytes;
    // Column sums of the block's rows, sixteen bytes a step (at most 16 × 255: u16 lanes suffice).
    let i: usize = 0;
    for (; i + 16 <= rowBytes; i += 16) {
      let low = i16x8.splat(0);
      let high = i16x8.splat(0);
      for (let k = 0; k < factor; k++) {
        const bytes = v128.load(first + <usize>k * rowBytes + i);
        low = i16x8.add(low, i16x8.extend_low_i8x16_u(bytes));
        high = i16x8.add(high, i16x8.extend_high_i8x16_u(bytes));
      }
      v128.store(sums + 2 * i, low);
      v128.store(sums + 2 * i, high, 16);
    }
    for (; i < rowBytes; i++) {
      let sum = 0;
      for (let k = 0; k < factor; k++) sum += <i32>load<u8>(first + <usize>k * rowBytes + i);
      store<u16>(sums + 2 * i, <u16>sum);
    }
    for (let column = 0; column < outWidth; column++) {
      for (let channel = 0; channel < 3; channel++) {
        let sum = 0;
        for (let k = 0; k < factor; k++) sum += <i32>load<u16>(sums + 2 * <usize>((column * factor + k) * 3 + channel));
        store<u8>(o++, <u8>((sum + (area >> 1)) / area));
      }
    }
  }
}
