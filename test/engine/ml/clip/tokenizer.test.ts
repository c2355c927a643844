import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { loadClipTokenizer, type ClipTokenizer } from '../../../../src/engine/ml/clip/tokenizer';
import { buildClipTokenizerJson } from '../../../fixtures/tiny-clip/clip-tokenizer-json';
import { describeWithShared, sharedModel } from '../../../support/shared';
import { tempDir } from '../../../support/temp';

/** The reference encodings listed in ../shared/README.md (OpenAI's own tokenizer). */
const REFERENCE: [string, number[]][] = [
  ['a photo of a dog', [49406, 320, 1125, 539, 320, 1929, 49407]],
  ['a photo of a cat', [49406, 320, 1125, 539, 320, 2368, 49407]],
  ['find photos of jumping people', [49406, 1416, 2479, 539, 11476, 1047, 49407]],
  ['A man jumping over a fence!', [49406, 320, 786, 11476, 962, 320, 12679, 256, 49407]],
];

describeWithShared('CLIP tokenizer over a tokenizer.json (@huggingface/tokenizers)', () => {
  let tokenizer: ClipTokenizer;
  beforeAll(() => {
    const file = path.join(tempDir(), 'tokenizer.json');
    fs.writeFileSync(file, JSON.stringify(buildClipTokenizerJson(sharedModel('clip_bpe_simple_vocab_16e6.txt.gz'))));
    tokenizer = loadClipTokenizer(file, { contextLength: 77, padToken: '<|endoftext|>' });
  });

  it.each(REFERENCE)('encodes %j exactly like OpenAI', (text, expected) => {
    const ids = tokenizer.encode(text);
    expect(ids).toHaveLength(77);
    expect(ids.slice(0, expected.length)).toEqual(expected);
    expect(ids.slice(expected.length).every((id) => id === tokenizer.padId)).toBe(true);
  });

  it('cleans whitespace and case the way CLIP does', () => {
    expect(tokenizer.encode('  A   PHOTO\tof a\n dog ')).toEqual(tokenizer.encode('a photo of a dog'));
  });

  it('truncates a 500-word query to the context length and keeps the end token', () => {
    const words = Array.from({ length: 500 }, (_, i) => ['dog', 'beach', 'sunset', 'birthday', 'cake'][i % 5]).join(' ');
    const ids = tokenizer.encode(words);
    expect(ids).toHaveLength(77);
    expect(ids[0]).toBe(49406);
    expect(ids[76]).toBe(49407);
    expect(ids.slice(1, 76)).not.toContain(49407);
  });

  it('pads with the pad token named by tokenizer_config.json when the export ships one', () => {
    const dir = tempDir();
    const json = path.join(dir, 'tokenizer.json');
    fs.writeFileSync(json, JSON.stringify(buildClipTokenizerJson(sharedModel('clip_bpe_simple_vocab_16e6.txt.gz'))));
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ pad_token: '!' }));
    const withConfig = loadClipTokenizer(json, {
      contextLength: 77,
      padToken: '<|endoftext|>',
      tokenizerConfigPath: path.join(dir, 'tokenizer_config.json'),
    });
    expect(withConfig.padId).toBe(0); // "!" is byte symbol 0 in CLIP's vocabulary
    expect(withConfig.encode('a dog').slice(4)).toEqual(new Array(73).fill(0));
  });
});
