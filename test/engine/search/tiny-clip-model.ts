import { ClipModel, sharedSessionFactory } from '../../../src/engine/ml/clip/clip-model';
import { type TinyClip, generateTinyClip } from '../../fixtures/tiny-clip/generate';
import { sharedModel } from '../../support/shared';
import { tempDir } from '../../support/temp';

/** Generates the tiny colour CLIP into a temp folder and loads it through the real ClipModel path. */
export async function loadTinyClip(): Promise<{ tiny: TinyClip; clip: ClipModel }> {
  const tiny = generateTinyClip(tempDir('facet-tiny-clip-'), sharedModel('clip_bpe_simple_vocab_16e6.txt.gz'));
  const clip = await ClipModel.load(tiny.entry, tiny.files, sharedSessionFactory('cpu'));
  return { tiny, clip };
}
