import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { seededRandom } from './seeded-random';

/**
 * A labelled set of real photos with text for measuring text search: signs and labels with real words,
 * rendered (sharp + SVG) onto photos from ../shared in several fonts, sizes, angles and backgrounds,
 * plus photos left without text as distractors. Seeded, so a set is the same on every run.
 */
export type TextScript = 'latin' | 'digits' | 'chinese';

export interface TextPhoto {
  file: string;
  /** The words on the sign; null for a distractor (no text added). */
  text: string | null;
  script: TextScript | null;
  /** What a person would type to find it. */
  query: string | null;
}

export interface TextPhotoSetOptions {
  /** Folders of background photos (jpg/png). */
  backgrounds: string[];
  target: string;
  /** Photos with text per script. */
  perScript: Partial<Record<TextScript, number>>;
  distractors: number;
  seed?: number;
  /** Long side of the generated photos. */
  longSide?: number;
}

/** Sign words: one query word plus, on some signs, a second line. Real words, as on shop fronts and street signs. */
const LATIN_WORDS = [
  'BAKERY',
  'PHARMACY',
  'Museum',
  'Station',
  'Parking',
  'Harbour',
  'Library',
  'Garden',
  'Market',
  'Theatre',
  'Welcome',
  'Bicycle',
  'Coffee',
  'Hospital',
  'Platform',
  'Airport',
  'Cinema',
  'Butcher',
  'Florist',
  'Bookshop',
  'Gallery',
  'Stadium',
  'Bridge',
  'Castle',
  'Temple',
  'Village',
  'Fountain',
  'Chapel',
  'Tunnel',
  'Lighthouse',
  'Pottery',
  'Laundry',
  'Bistro',
  'Tavern',
  'Pizzeria',
  'Bakehouse',
  'Jewellery',
  'Hardware',
  'Stationery',
  'Pastry',
  'Dentist',
  'Optician',
  'Surgery',
  'Academy',
  'College',
  'Observatory',
  'Aquarium',
  'Planetarium',
  'Ferry',
  'Harvest',
  'Orchard',
  'Vineyard',
  'Brewery',
  'Distillery',
  'Creamery',
  'Chocolate',
  'Lemonade',
  'Sandwich',
  'Noodles',
  'Dumplings',
  'Avenue',
  'Boulevard',
  'Crescent',
  'Terrace',
  'Meadow',
  'Willow',
  'Maple',
  'Juniper',
  'Lavender',
  'Sunflower',
];
const SECOND_LINES = ['Open daily', 'Since 1952', 'Entrance', 'This way', 'Closed Sunday', 'Fresh today', 'Welcome', 'Tickets'];
const DIGITS = [
  '2019',
  '1588',
  '4721',
  '36.5',
  '0800',
  '7305',
  '9142',
  '2468',
  '5150',
  '3307',
  '8812',
  '6024',
  '1984',
  '2750',
  '4096',
  '1205',
  '7777',
  '3141',
  '5926',
  '8080',
];
const CHINESE_WORDS = [
  '出口',
  '欢迎光临',
  '北京西站',
  '咖啡',
  '图书馆',
  '停车场',
  '博物馆',
  '火车站',
  '医院',
  '银行',
  '超市',
  '面包店',
  '花店',
  '书店',
  '公园',
  '餐厅',
  '酒店',
  '学校',
  '药店',
  '电影院',
];

export const LATIN_FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'DejaVu Sans Condensed'];
const CJK_FONTS = ['Noto Sans CJK SC', 'Noto Serif CJK SC'];
const SIGN_COLOURS: [string, string][] = [
  ['#1a5d3a', '#ffffff'],
  ['#f4f1e8', '#202020'],
  ['#0b3d91', '#ffffff'],
  ['#b3202a', '#fff6e0'],
  ['#222222', '#f2c200'],
  ['#ffffff', '#0b3d91'],
  ['#e8d9b5', '#3b2a1a'],
  ['#2f2f2f', '#ffffff'],
];

/** True when fontconfig knows a font that covers Chinese (apt-get install fonts-noto-cjk). */
export function hasCjkFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}

/** Generates the set into `target` (reused when its manifest matches) and returns its labels. */
export async function generateTextPhotos(options: TextPhotoSetOptions): Promise<TextPhoto[]> {
  const seed = options.seed ?? 12;
  const longSide = options.longSide ?? 1600;
  const key = JSON.stringify({
    v: 1,
    perScript: options.perScript,
    distractors: options.distractors,
    seed,
    longSide,
    backgrounds: options.backgrounds,
  });
  const manifestFile = path.join(options.target, 'labels.json');
  if (fs.existsSync(manifestFile)) {
    const saved = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { key: string; photos: TextPhoto[] };
    if (saved.key === key && saved.photos.every((p) => fs.existsSync(p.file))) return saved.photos;
  }
  fs.rmSync(options.target, { recursive: true, force: true });
  fs.mkdirSync(options.target, { recursive: true });
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const backgrounds = shuffle(
    options.backgrounds.flatMap((dir) =>
      fs
        .readdirSync(dir)
        .filter((f) => /\.(jpe?g|png)$/i.test(f))
        .map((f) => path.join(dir, f)),
    ),
    random,
  );
  const words: Record<TextScript, string[]> = {
    latin: shuffle(LATIN_WORDS, random),
    digits: shuffle(DIGITS, random),
    chinese: shuffle(CHINESE_WORDS, random),
  };
  const photos: TextPhoto[] = [];
  let n = 0;
  const nextBackground = () => backgrounds[n % backgrounds.length]!;
  for (const script of ['latin', 'digits', 'chinese'] as const) {
    const count = Math.min(options.perScript[script] ?? 0, words[script].length);
    for (let i = 0; i < count; i++, n++) {
      const word = words[script][i]!;
      const second = script === 'latin' && random() < 0.4 ? pick(SECOND_LINES) : null;
      const file = path.join(options.target, `text-${String(n).padStart(4, '0')}.jpg`);
      const fonts = script === 'chinese' ? CJK_FONTS : LATIN_FONTS;
      await renderSign(nextBackground(), file, longSide, { lines: second ? [word, second] : [word], font: pick(fonts), random });
      photos.push({ file, text: second ? `${word} ${second}` : word, script, query: word });
    }
  }
  for (let i = 0; i < options.distractors; i++, n++) {
    const file = path.join(options.target, `plain-${String(n).padStart(4, '0')}.jpg`);
    await backgroundImage(nextBackground(), longSide).jpeg({ quality: 88 }).toFile(file);
    photos.push({ file, text: null, script: null, query: null });
  }
  fs.writeFileSync(manifestFile, JSON.stringify({ key, photos }, null, 1));
  return photos;
}

function backgroundImage(source: string, longSide: number): sharp.Sharp {
  return sharp(source)
    .rotate()
    .resize(longSide, Math.round((longSide * 3) / 4), { fit: 'cover' });
}

export interface SignStyle {
  lines: string[];
  font: string;
  random: () => number;
}

/**
 * A sign: a coloured panel (or, on a third of them, bare text with an outline, as painted on a wall)
 * at a random place, size (text 3–9% of the photo's height) and angle (±15°), in one of the fonts.
 */
async function renderSign(source: string, file: string, longSide: number, style: SignStyle): Promise<void> {
  const height = Math.round((longSide * 3) / 4);
  await backgroundImage(source, longSide)
    .composite([{ input: Buffer.from(signSvg(longSide, height, style)) }])
    .jpeg({ quality: 88 })
    .toFile(file);
}

/** The sign as an SVG the size of the photo, to composite over it. */
export function signSvg(width: number, height: number, style: SignStyle): string {
  const { random } = style;
  const size = Math.round(height * (0.03 + random() * 0.06));
  const [panel, ink] = SIGN_COLOURS[Math.floor(random() * SIGN_COLOURS.length)]!;
  const bare = random() < 0.33;
  const weight = random() < 0.5 ? 'bold' : 'normal';
  const longest = Math.max(...style.lines.map((l) => [...l].length * (/[\u4e00-\u9fff]/.test(l) ? 1 : 0.62)));
  const boxWidth = longest * size + size * 1.2;
  const boxHeight = style.lines.length * size * 1.3 + size * 0.6;
  const cx = boxWidth / 2 + random() * Math.max(1, width - boxWidth);
  const cy = boxHeight / 2 + random() * Math.max(1, height - boxHeight);
  const angle = (random() * 2 - 1) * 15;
  const text = style.lines
    .map((line, i) => {
      const y = cy - boxHeight / 2 + size * 0.3 + (i + 1) * size * 1.3 - size * 0.3;
      const lineSize = i === 0 ? size : Math.round(size * 0.6);
      const outline = bare ? ` stroke="${panel}" stroke-width="${Math.max(1, lineSize / 14)}" paint-order="stroke"` : '';
      return `<text x="${cx}" y="${y}" font-family="${style.font}" font-size="${lineSize}" font-weight="${weight}" fill="${ink}" text-anchor="middle"${outline}>${escapeXml(line)}</text>`;
    })
    .join('');
  const board = bare
    ? ''
    : `<rect x="${cx - boxWidth / 2}" y="${cy - boxHeight / 2}" width="${boxWidth}" height="${boxHeight}" rx="${size * 0.2}" fill="${panel}"/>`;
  return `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><g transform="rotate(${angle.toFixed(1)} ${cx} ${cy})">${board}${text}</g></svg>`;
}

/** A random Latin sign word (for benchmarks that need some photos with text). */
export function signWord(random: () => number): string {
  return LATIN_WORDS[Math.floor(random() * LATIN_WORDS.length)]!;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function shuffle<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
