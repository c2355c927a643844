import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import { YuNetDetector } from '../../../../src/engine/ml/faces/detector';
import { FaceEmbedder } from '../../../../src/engine/ml/faces/embedder';
import { analyzeFaces } from '../../../../src/engine/ml/faces/face-analyzer';
import { centredFaceIndex } from '../../../../bench/people/centred-face';
import { readLabels, sharedModel, sharedPhotos } from '../../../support/shared';
import { REPO_ROOT } from '../../../support/paths';

/** One detected face of a labelled photo, as the people engine sees it (no pixels). */
export interface RealFace {
  photo: string;
  /** The photo's label; only the centred face carries it (LFW labels the centred person). */
  identity: string | null;
  centred: boolean;
  quality: number;
  embedding: number[];
}

const CACHE_DIR = path.join(REPO_ROOT, '.cache', 'people');

/**
 * Real MobileFaceNet embeddings of a labelled set in ../shared/photos, computed once with the faces
 * engine and cached under .cache/ (git-ignored), because detecting 4,427 LFW photos takes minutes.
 */
export async function loadRealFaces(set: 'faces-celebs' | 'faces-lfw-dev', options: { identities?: number } = {}): Promise<RealFace[]> {
  const fullCache = path.join(CACHE_DIR, `${set}.json`);
  if (options.identities !== undefined && fs.existsSync(fullCache)) return firstIdentities(await loadRealFaces(set), options.identities);
  const cacheFile = options.identities === undefined ? fullCache : path.join(CACHE_DIR, `${set}-first-${options.identities}.json`);
  if (fs.existsSync(cacheFile)) return JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as RealFace[];
  const detector = YuNetDetector.fromSession(await ort.InferenceSession.create(sharedModel('face_detection_yunet_s_dynamic.onnx')));
  const embedder = FaceEmbedder.fromSession(await ort.InferenceSession.create(sharedModel('face_recognition_mobilefacenet_128.onnx')));
  const folder = set === 'faces-lfw-dev' ? sharedPhotos(set, 'images') : sharedPhotos(set);
  const faces: RealFace[] = [];
  const rows = readLabels(sharedPhotos(set, 'labels.csv'));
  const keep = new Set([...new Set(rows.map((r) => r.identity))].slice(0, options.identities ?? Infinity));
  for (const row of rows.filter((r) => keep.has(r.identity))) {
    const file = row.file ?? '';
    const identity = row.identity && !row.identity.startsWith('MULTI:') ? row.identity : null;
    const { data, info } = await sharp(path.join(folder, file)).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const image = { data: new Uint8Array(data), width: info.width, height: info.height };
    const found = await analyzeFaces(image, { detector, embedder, scale: 1 });
    const centre = centredFaceIndex(
      found.map((f) => f.box),
      info.width,
      info.height,
    );
    found.forEach((face, i) =>
      faces.push({
        photo: file,
        identity: i === centre ? identity : null,
        centred: i === centre,
        quality: face.quality.quality,
        embedding: Array.from(face.embedding),
      }),
    );
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // Test files run in parallel and may fill the cache together: publish it whole, by rename.
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(faces));
  fs.renameSync(temporary, cacheFile);
  return faces;
}

/**
 * The faces of the photos of the first `count` identities in label order (alphabetical for LFW): a
 * fixed, unselected sample, so the LFW tests stay within the test budget on a machine without the cache.
 */
function firstIdentities(faces: RealFace[], count: number): RealFace[] {
  const photoIdentity = new Map<string, string>();
  for (const f of faces) if (f.identity) photoIdentity.set(f.photo, f.identity);
  const keep = new Set([...new Set(photoIdentity.values())].slice(0, count));
  return faces.filter((f) => keep.has(photoIdentity.get(f.photo) ?? ''));
}
