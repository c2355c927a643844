import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../bench/seeded-random';
import { matrixShaperProfile, matrixShaperToSrgb } from '../../../src/engine/imaging/matrix-shaper';
import type { RgbImage } from '../../../src/engine/imaging/rgb-image';
import { toSrgb, toSrgbByLibvips } from '../../../src/engine/imaging/tagged-raw';
import { largestDifference } from '../../support/image-difference';

/** Every 8th code value of each channel with the last, and noise: 35,937 + 20,000 colours, out of gamut included. */
function colours(): RgbImage {
  const steps = [...Array.from({ length: 32 }, (_, i) => i * 8), 255];
  const grid = steps.flatMap((r) => steps.flatMap((g) => steps.flatMap((b) => [r, g, b])));
  const random = seededRandom(3);
  const noise = Array.from({ length: 60_000 }, () => Math.floor(random() * 256));
  const data = Uint8Array.from([...grid, ...noise]);
  return { data, width: data.length / 3, height: 1 };
}

async function profileOf(name: 'p3' | 'srgb' | 'cmyk'): Promise<Buffer> {
  const tagged = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } })
    .withIccProfile(name)
    .tiff()
    .toBuffer();
  return (await sharp(tagged).metadata()).icc!;
}

/**
 * A v2 display profile with the given primaries (XYZ columns, D50) and one tone curve tag for all three
 * channels, as a camera or editor writes one: enough for lcms, which these conversions are checked against.
 */
function matrixShaperIcc(columns: number[][], curve: Buffer, extraTags: [string, Buffer][] = []): Buffer {
  const xyz = (values: number[]) => {
    const tag = Buffer.alloc(20);
    tag.write('XYZ ', 0, 'latin1');
    values.forEach((v, i) => tag.writeInt32BE(Math.round(v * 65536), 8 + 4 * i));
    return tag;
  };
  const description = Buffer.alloc(12 + 5 + 4 + 4 + 2 + 1 + 67);
  description.write('desc', 0, 'latin1');
  description.writeUInt32BE(5, 8);
  description.write('test', 12, 'latin1');
  const tags: [string, Buffer][] = [
    ['desc', description],
    ['wtpt', xyz([0.9642, 1, 0.8249])],
    ['rXYZ', xyz(columns[0]!)],
    ['gXYZ', xyz(columns[1]!)],
    ['bXYZ', xyz(columns[2]!)],
    ['rTRC', curve],
    ['gTRC', curve],
    ['bTRC', curve],
    ...extraTags,
  ];
  let at = 128 + 4 + tags.length * 12;
  const table = Buffer.alloc(4 + tags.length * 12);
  table.writeUInt32BE(tags.length, 0);
  const bodies: Buffer[] = [];
  tags.forEach(([signature, body], i) => {
    table.write(signature, 4 + i * 12, 'latin1');
    table.writeUInt32BE(at, 8 + i * 12);
    table.writeUInt32BE(body.length, 12 + i * 12);
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    bodies.push(padded);
    at += padded.length;
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(at, 0);
  header.writeUInt32BE(0x02100000, 8); // version 2.1
  header.write('mntrRGB XYZ ', 12, 'latin1');
  header.write('acsp', 36, 'latin1');
  [0.9642, 1, 0.8249].forEach((v, i) => header.writeInt32BE(Math.round(v * 65536), 68 + 4 * i)); // D50 illuminant
  return Buffer.concat([header, table, ...bodies]);
}

function curv(values: number[]): Buffer {
  const tag = Buffer.alloc(12 + 2 * values.length);
  tag.write('curv', 0, 'latin1');
  tag.writeUInt32BE(values.length, 8);
  values.forEach((v, i) => tag.writeUInt16BE(v, 12 + 2 * i));
  return tag;
}

function para(kind: number, parameters: number[]): Buffer {
  const tag = Buffer.alloc(12 + 4 * parameters.length);
  tag.write('para', 0, 'latin1');
  tag.writeUInt16BE(kind, 8);
  parameters.forEach((v, i) => tag.writeInt32BE(Math.round(v * 65536), 12 + 4 * i));
  return tag;
}

/** Adobe RGB (1998)'s primaries, D50-adapted as its profile carries them. */
const ADOBE_RGB = [
  [0.6097, 0.3111, 0.0195],
  [0.2053, 0.6257, 0.0609],
  [0.1492, 0.0632, 0.7446],
];

describe('sRGB from a matrix/TRC profile, without libvips', () => {
  const image = colours();

  it.each(['p3', 'srgb'] as const)('agrees with lcms within a level for libvips\u2019 own %s profile', async (name) => {
    const icc = await profileOf(name);
    const profile = matrixShaperProfile(icc);
    expect(profile).not.toBeNull();
    const reference = await toSrgbByLibvips({ ...image, icc });
    expect(largestDifference(matrixShaperToSrgb(image, profile!).data, reference.data)).toBeLessThanOrEqual(1);
    // And toSrgb takes this route: the same bytes.
    expect(Buffer.from((await toSrgb({ ...image, icc })).data).equals(Buffer.from(matrixShaperToSrgb(image, profile!).data))).toBe(true);
  });

  const curves: [string, Buffer][] = [
    ['a gamma (curv, one entry)', curv([Math.round(2.2 * 256)])],
    ['a table (curv, 1024 entries)', curv(Array.from({ length: 1024 }, (_, i) => Math.round(65535 * (i / 1023) ** 1.8)))],
    ['no curve (curv, no entries)', curv([])],
    ['a parametric gamma (para 0)', para(0, [2.2])],
    ['a parametric curve of a scaled input (para 1)', para(1, [2.2, 1.05, 0])],
    ['a parametric curve with a threshold and offset (para 2)', para(2, [2.2, 1.05, -0.02, 0])],
    ['the sRGB curve (para 3)', para(3, [2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045])],
    ['a full parametric curve (para 4)', para(4, [2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045, -0.01, 0])],
  ];
  it.each(curves)('agrees with lcms within a level for Adobe RGB primaries with %s', async (_, curve) => {
    const icc = matrixShaperIcc(ADOBE_RGB, curve);
    const profile = matrixShaperProfile(icc);
    expect(profile).not.toBeNull();
    const reference = await toSrgbByLibvips({ ...image, icc });
    expect(largestDifference(matrixShaperToSrgb(image, profile!).data, reference.data)).toBeLessThanOrEqual(1);
  });

  it('leaves to libvips what it cannot convert exactly: a black above zero, lookup tables, another colour space, a damaged profile', async () => {
    // lcms compensates a raised black point in a perceptual conversion; this does not.
    expect(matrixShaperProfile(matrixShaperIcc(ADOBE_RGB, para(1, [2.4, 1 / 1.055, 0.055 / 1.055])))).toBeNull();
    expect(matrixShaperProfile(matrixShaperIcc(ADOBE_RGB, para(2, [2.2, 1, 0, 0.01])))).toBeNull();
    expect(matrixShaperProfile(matrixShaperIcc(ADOBE_RGB, para(4, [2.4, 1, 0, 1 / 12.92, 0.04, 0, 0.002])))).toBeNull();
    const lut = Buffer.concat([Buffer.from('mft2', 'latin1'), Buffer.alloc(48)]);
    expect(matrixShaperProfile(matrixShaperIcc(ADOBE_RGB, curv([563]), [['A2B0', lut]]))).toBeNull();
    expect(matrixShaperProfile(await profileOf('cmyk'))).toBeNull();
    const whole = matrixShaperIcc(ADOBE_RGB, curv([563]));
    expect(matrixShaperProfile(whole.subarray(0, 200))).toBeNull(); // the tags cut off
    expect(matrixShaperProfile(matrixShaperIcc(ADOBE_RGB, Buffer.from('sf32\0\0\0\0', 'latin1')))).toBeNull(); // an unknown curve type
    expect(matrixShaperProfile(Buffer.alloc(10))).toBeNull();
    const hugeCount = curv([563]);
    hugeCount.writeUInt32BE(0xffffffff, 8); // four billion entries claimed by a profile of a few hundred bytes
    expect(matrixShaperProfile(matrixShaperIcc(ADOBE_RGB, hugeCount))).toBeNull();
    expect(matrixShaperProfile(matrixShaperIcc(ADOBE_RGB, para(0, [30_000])))).not.toBeNull(); // steep, but finite
  });
});
