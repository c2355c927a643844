import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import { YuNetDetector } from '../../../src/engine/ml/faces/detector';
import { FaceEmbedder } from '../../../src/engine/ml/faces/embedder';
import { analyzeFaces } from '../../../src/engine/ml/faces/face-analyzer';
import { centredFaceIndex } from '../../../src/engine/people/bench/centred-face';
import { readLabels, sharedModel, sharedPhotos } from '../../support/shared';

/** One detected face of a labelled photo, as the people engine sees it (no pixels). */
export interface RealFace {
  photo: string;
  /** The photo's label; only the centred face carries it (LFW labels the centred person). */
  identity: string | null;
  centred: boolean;
  quality: number;
  embedding: number[];
}

const CACHE_DIR = path.join(__dirname, '..', '..', '..', '.cache', 'people');

/**
 * Real MobileFaceNet embeddings of a labelled set in ../shared/photos, computed once with the faces
 * engine and cached under .cache/ (git-ignored), because detecting 4,427 LFW photos takes minutes.
 */
export async function loadRealFaces(set: 'faces-celebs' | 'faces-lfw-dev'): Promise<RealFace[]> {
  const cacheFile = path.join(CACHE_DIR, `${set}.json`);
  if (fs.existsSync(cacheFile)) return JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as RealFace[];
  const detector = YuNetDetector.fromSession(await ort.InferenceSession.create(sharedModel('face_detection_yunet_s_dynamic.onnx')));
  const embedder = FaceEmbedder.fromSession(await ort.InferenceSession.create(sharedModel('face_recognition_mobilefacenet_128.onnx')));
  const folder = set === 'faces-lfw-dev' ? sharedPhotos(set, 'images') : sharedPhotos(set);
  const faces: RealFace[] = [];
  for (const row of readLabels(sharedPhotos(set, 'labels.csv'))) {
    const file = row.file ?? '';
    const identity = row.identity && !row.identity.startsWith('MULTI:') ? row.identity : null;
    const { data, info } = await sharp(path.join(folder, file)).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const image = { data: new Uint8Array(data), width: info.width, height: info.height };
    const found = await analyzeFaces(image, { detector, embedder, scale: 1 });
    const centre = centredFaceIndex(found.map((f) => f.box), info.width, info.height);
    found.forEach((face, i) =>
      faces.push({ photo: file, identity: i === centre ? identity : null, centred: i === centre, quality: face.quality.quality, embedding: Array.from(face.embedding) }),
    );
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  fs.writeFileSync(cacheFile, JSON.stringify(faces));
  return faces;
}
