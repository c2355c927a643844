import type { RgbImage } from './rgb-image';

/**
 * An RGB ICC profile of the matrix/TRC kind (ICC.1 F.3): a tone curve per channel to linear light, then a
 * 3 × 3 matrix to the D50 XYZ connection space. Display P3 (every iPhone photo), Adobe RGB and sRGB's own
 * profiles are all of this kind.
 */
export interface MatrixShaperProfile {
  /** Linear light of each 8-bit code value, per channel. */
  toLinear: [Float32Array, Float32Array, Float32Array];
  /** RGB (linear) → XYZ (D50), row-major: the rXYZ, gXYZ and bXYZ tags as columns. */
  toXyz: number[];
}

/**
 * sRGB's matrix to D50 XYZ (IEC 61966-2-1 primaries, Bradford-adapted as ICC profiles carry them), inverted:
 * XYZ (D50) → linear sRGB. The same numbers as the sRGB profile libvips converts to.
 */
const XYZ_TO_LINEAR_SRGB = invert3([0.4360747, 0.3850649, 0.1430804, 0.2225045, 0.7168786, 0.0606169, 0.0139322, 0.0971045, 0.7141733]);

/** Linear light in 1/65535 steps → the sRGB 8-bit code (IEC 61966-2-1): fine enough near black, where the curve is steepest. */
let srgbEncode: Uint8Array | null = null;

function srgbEncodeTable(): Uint8Array {
  if (srgbEncode) return srgbEncode;
  srgbEncode = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) {
    const linear = i / 65535;
    const encoded = linear <= 0.0031308 ? 12.92 * linear : 1.055 * linear ** (1 / 2.4) - 0.055;
    srgbEncode[i] = Math.round(encoded * 255);
  }
  return srgbEncode;
}

/**
 * The image converted from its profile to sRGB with the profile's curves and matrix (relative colorimetric,
 * which is what a perceptual conversion is for a matrix/TRC profile; colours outside sRGB are clipped), as
 * lcms does through libvips, within a level (test/engine/imaging/matrix-shaper.test.ts).
 *
 * WHY by hand: libvips' conversion (sharp's toColourspace through the profile) took 8.5 ms of CPU for the
 * 500 × 375 analysis image of a Display P3 photo here, mostly a fixed cost per call, and 65 ms for a
 * 2,000 × 1,500 detail image; this takes about 3 and 37 (best of 6, one core). Every iPhone photo pays it.
 */
export function matrixShaperToSrgb(image: RgbImage, profile: MatrixShaperProfile): RgbImage {
  const tables = contributionTables(multiply3(XYZ_TO_LINEAR_SRGB, profile.toXyz), profile.toLinear);
  const encode = srgbEncodeTable();
  const from = image.data;
  const length = image.width * image.height * 3;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 3) {
    const r = from[i]!;
    const g = from[i + 1]! + 256;
    const b = from[i + 2]! + 512;
    const red = (tables[r]! + tables[g]! + tables[b]!) >> SUBSTEP_BITS;
    const green = (tables[768 + r]! + tables[768 + g]! + tables[768 + b]!) >> SUBSTEP_BITS;
    const blue = (tables[1536 + r]! + tables[1536 + g]! + tables[1536 + b]!) >> SUBSTEP_BITS;
    // Clamped to the table: a colour outside sRGB clips.
    out[i] = encode[red < 0 ? 0 : red > 65535 ? 65535 : red]!;
    out[i + 1] = encode[green < 0 ? 0 : green > 65535 ? 65535 : green]!;
    out[i + 2] = encode[blue < 0 ? 0 : blue > 65535 ? 65535 : blue]!;
  }
  return { data: out, width: image.width, height: image.height };
}

/** Sixteenths of a step of the encode table: the three contributions add before one rounding. */
const SUBSTEP_BITS = 4;

/**
 * What each input channel's code value adds to each linear sRGB channel, in 1/16 steps of the encode table:
 * nine tables of 256 integers, output channel major (so a pixel is nine lookups and six additions, with no
 * floating point: 37 ms against 63 for the matrix in floats at 2,000 × 1,500 here). The first input's tables carry the half
 * step that rounds the sum.
 */
function contributionTables(matrix: number[], toLinear: MatrixShaperProfile['toLinear']): Int32Array {
  const tables = new Int32Array(9 * 256);
  const scale = 65535 * (1 << SUBSTEP_BITS);
  for (let output = 0; output < 3; output++) {
    for (let input = 0; input < 3; input++) {
      const at = (output * 3 + input) * 256;
      const bias = input === 0 ? 1 << (SUBSTEP_BITS - 1) : 0;
      for (let code = 0; code < 256; code++)
        tables[at + code] = Math.round(matrix[output * 3 + input]! * toLinear[input]![code]! * scale) + bias;
    }
  }
  return tables;
}

/**
 * The profile's curves and matrix; null for a profile this cannot convert exactly (not RGB to XYZ, with
 * lookup tables, A2B0 and the like, which take precedence over the matrix, or a black above zero), for
 * libvips to convert.
 */
export function matrixShaperProfile(icc: Uint8Array): MatrixShaperProfile | null {
  const view = new DataView(icc.buffer, icc.byteOffset, icc.byteLength);
  const text = (at: number) => String.fromCharCode(...icc.subarray(at, at + 4));
  if (icc.length < 132 || text(16) !== 'RGB ' || text(20) !== 'XYZ ') return null;
  const tags = new Map<string, number>();
  const count = view.getUint32(128);
  if (132 + count * 12 > icc.length) return null;
  for (let i = 0; i < count; i++) tags.set(text(132 + i * 12), view.getUint32(132 + i * 12 + 4));
  if (['A2B0', 'A2B1', 'A2B2', 'B2A0', 'B2A1', 'B2A2', 'D2B0'].some((tag) => tags.has(tag))) return null;
  try {
    const columns = ['rXYZ', 'gXYZ', 'bXYZ'].map((tag) => xyz(view, tags.get(tag)));
    const toXyz = [0, 1, 2].flatMap((row) => columns.map((column) => column[row]!));
    const toLinear = (['rTRC', 'gTRC', 'bTRC'] as const).map((tag) => curveTable(view, tags.get(tag))) as MatrixShaperProfile['toLinear'];
    // A curve whose black is not 0 gets lcms' black point compensation (libvips' sRGB is a v4 profile, and
    // lcms compensates in a perceptual conversion to one), which this does not do.
    const blackAtZero = toLinear.every((curve) => Math.abs(curve[0]!) < 1e-6);
    const finite = toXyz.every(Number.isFinite) && toLinear.every((curve) => curve.every(Number.isFinite));
    return finite && blackAtZero ? { toXyz, toLinear } : null;
  } catch {
    return null; // a tag missing, cut short or of an unknown type
  }
}

function s15Fixed16(view: DataView, at: number): number {
  return view.getInt32(at) / 65536;
}

function typeAt(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

function xyz(view: DataView, at: number | undefined): number[] {
  if (at === undefined || typeAt(view, at) !== 'XYZ ') throw new Error('no XYZ tag');
  return [0, 1, 2].map((i) => s15Fixed16(view, at + 8 + 4 * i));
}

/** A tone curve (ICC 'curv' or 'para') sampled at the 256 code values. */
function curveTable(view: DataView, at: number | undefined): Float32Array {
  if (at === undefined) throw new Error('no tone curve');
  const table = new Float32Array(256);
  const curve = toneCurve(view, at);
  for (let i = 0; i < 256; i++) table[i] = curve(i / 255);
  return table;
}

function toneCurve(view: DataView, at: number): (x: number) => number {
  const type = typeAt(view, at);
  if (type === 'curv') {
    const entries = view.getUint32(at + 8);
    if (entries === 0) return (x) => x;
    if (entries === 1) {
      const gamma = view.getUint16(at + 12) / 256;
      return (x) => x ** gamma;
    }
    // A count that runs past the end of the profile: damaged.
    if (at + 12 + 2 * entries > view.byteLength) throw new Error('tone curve cut short');
    const values = Array.from({ length: entries }, (_, i) => view.getUint16(at + 12 + 2 * i) / 65535);
    return (x) => {
      const position = x * (entries - 1);
      const below = Math.floor(position);
      const above = Math.min(entries - 1, below + 1);
      return values[below]! + (values[above]! - values[below]!) * (position - below);
    };
  }
  if (type === 'para') {
    const kind = view.getUint16(at + 8);
    const counts = [1, 3, 4, 5, 7];
    if (kind >= counts.length) throw new Error(`parametric curve type ${kind}`);
    const [g, a = 1, b = 0, c = 0, d = 0, e = 0, f = 0] = Array.from({ length: counts[kind]! }, (_, i) =>
      s15Fixed16(view, at + 12 + 4 * i),
    );
    const power = (x: number) => (a * x + b > 0 ? (a * x + b) ** g! : 0);
    // ICC.1 table 68: the five functions, each the one before with more parameters.
    if (kind === 0) return (x) => x ** g!;
    if (kind === 1) return (x) => (x >= -b / a ? power(x) : 0);
    if (kind === 2) return (x) => (x >= -b / a ? power(x) + c : c);
    if (kind === 3) return (x) => (x >= d ? power(x) : c * x);
    return (x) => (x >= d ? power(x) + e : c * x + f);
  }
  throw new Error(`tone curve type ${type}`);
}

function multiply3(a: number[], b: number[]): number[] {
  return [0, 1, 2].flatMap((row) =>
    [0, 1, 2].map((column) => a[row * 3]! * b[column]! + a[row * 3 + 1]! * b[3 + column]! + a[row * 3 + 2]! * b[6 + column]!),
  );
}

function invert3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const determinant = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  const adjugate = [
    e * i - f * h,
    c * h - b * i,
    b * f - c * e,
    f * g - d * i,
    a * i - c * g,
    c * d - a * f,
    d * h - e * g,
    b * g - a * h,
    a * e - b * d,
  ];
  return adjugate.map((v) => v / determinant);
}
