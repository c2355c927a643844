import fs from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { FacetError } from '../../../common/errors';

export interface ClipTokenizer {
  /** Token ids padded (or truncated) to exactly `contextLength`, start and end tokens included. */
  encode(text: string): number[];
  tokenId(token: string): number | undefined;
  readonly contextLength: number;
  readonly padId: number;
}

/**
 * CLIP tokenization over the Hugging Face `tokenizer.json` the model ships. The JS library does the
 * normalizer, pre-tokenizer, BPE and start/end tokens; it has no padding/truncation, so that is done
 * here the way the Rust library does it for CLIP: truncate the content, keep the end token.
 */
export function loadClipTokenizer(
  tokenizerJsonPath: string,
  options: { contextLength: number; padToken: string; tokenizerConfigPath?: string },
): ClipTokenizer {
  const json = readJson(tokenizerJsonPath);
  // tokenizer_config.json (when the export ships one) names the pad token, as Immich reads it.
  const config = options.tokenizerConfigPath && fs.existsSync(options.tokenizerConfigPath) ? readJson(options.tokenizerConfigPath) : {};
  const tokenizer = new Tokenizer(json, config);
  const padToken =
    typeof (config as { pad_token?: unknown }).pad_token === 'string' ? (config as { pad_token: string }).pad_token : options.padToken;
  const padId = tokenizer.token_to_id(padToken) ?? 0;
  const { contextLength } = options;
  return {
    contextLength,
    padId,
    tokenId: (token) => tokenizer.token_to_id(token),
    encode(text) {
      const ids = tokenizer.encode(text).ids;
      if (ids.length > contextLength) {
        const end = ids[ids.length - 1]!;
        return [...ids.slice(0, contextLength - 1), end];
      }
      return [...ids, ...new Array<number>(contextLength - ids.length).fill(padId)];
    },
  };
}

function readJson(file: string): object {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as object;
  } catch (error) {
    throw new FacetError('model_corrupt', `The CLIP tokenizer file ${file} cannot be read: ${(error as Error).message}`);
  }
}
