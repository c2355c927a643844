import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { createSession } from '../runtime/session';
import type { SessionPool } from '../runtime/session-pool';
import { FacetError } from '../../../common/errors';
import type { RgbImage } from '../../imaging/rgb-image';
import type { ClipModelEntry } from '../../models/manifest-schema';
import { type ClipConfig, applyPromptTemplate, clipConfigFromEntry } from './clip-config';
import { l2Normalize } from '../vector-math';
import { clipPixelBatch } from './preprocess';
import { type ClipTokenizer, loadClipTokenizer } from './tokenizer';
import type { Device } from '../../../common/api/device';

export type SessionFactory = (modelPath: string) => Promise<ort.InferenceSession>;

/** Absolute path of each file of the entry by role, as ModelManager.resolve returns them. */
export type ModelFiles = Readonly<Record<string, string>>;

/**
 * Sessions with src/engine/ml/runtime's provider choice and CPU fallback: from the engine's pool when
 * given (shared, released by Engine.close), else one fresh session per file (tests, benchmarks).
 */
export const sharedSessionFactory =
  (device: Device, pool?: SessionPool): SessionFactory =>
  (modelPath) =>
    (pool ? pool.create(modelPath, { device }) : createSession(modelPath, { device })).then((created) => created.session);

/**
 * A CLIP model: two ONNX Runtime sessions (image and text encoders) plus the tokenizer, configured
 * by the manifest's `clip` block. Every embedding it returns is L2-normalised, so a dot product is
 * the cosine similarity and sqlite-vec's cosine distance is 1 − score.
 */
export class ClipModel {
  private constructor(
    readonly config: ClipConfig,
    private readonly visual: ort.InferenceSession,
    private readonly textual: ort.InferenceSession,
    readonly tokenizer: ClipTokenizer,
  ) {}

  static async load(
    entry: ClipModelEntry,
    files: ModelFiles,
    openSessionFor: SessionFactory = sharedSessionFactory('auto'),
  ): Promise<ClipModel> {
    const config = clipConfigFromEntry(entry);
    const [visualPath, textualPath, tokenizerPath] = [config.visual.role, config.textual.role, config.tokenizerRole].map((role) => {
      const file = files[role];
      if (!file || !fs.existsSync(file)) {
        throw new FacetError(
          'model_missing',
          `CLIP model ${entry.id} is not installed (missing ${file}). Download it with: facet models download ${entry.id}`,
        );
      }
      return file;
    }) as [string, string, string];
    const tokenizerConfigPath = files[config.tokenizerConfigRole];
    const tokenizer = loadClipTokenizer(tokenizerPath, {
      contextLength: config.contextLength,
      padToken: config.padToken,
      ...(tokenizerConfigPath ? { tokenizerConfigPath } : {}),
    });
    const [visual, textual] = await Promise.all([
      openSession(openSessionFor, visualPath, entry.id),
      openSession(openSessionFor, textualPath, entry.id),
    ]);
    return new ClipModel(config, visual, textual, tokenizer);
  }

  get modelId(): string {
    return this.config.modelId;
  }

  get dimensions(): number {
    return this.config.embeddingDim;
  }

  async embedImage(image: RgbImage): Promise<Float32Array> {
    return (await this.embedImages([image]))[0]!;
  }

  /** One session run for the whole batch (the encoders take a dynamic batch dimension). */
  async embedImages(images: readonly RgbImage[]): Promise<Float32Array[]> {
    if (images.length === 0) return [];
    const size = this.config.imageSize;
    const pixels = await clipPixelBatch(images, this.config);
    const input = new ort.Tensor('float32', pixels, [images.length, 3, size, size]);
    return this.run(this.visual, this.config.visual.output, { [this.config.visual.input]: input }, images.length);
  }

  /** Embeds the text as given; callers that want the model's prompt use `prompt()` first. */
  async embedText(text: string): Promise<Float32Array> {
    return (await this.embedTexts([text]))[0]!;
  }

  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const ctx = this.config.contextLength;
    const ids = texts.flatMap((text) => this.tokenizer.encode(text));
    const { textual } = this.config;
    const feeds: Record<string, ort.Tensor> = { [textual.input]: this.intTensor(ids, [texts.length, ctx]) };
    if (textual.attentionMask) {
      const padId = this.tokenizer.padId;
      feeds[textual.attentionMask] = this.intTensor(
        ids.map((id, i) => (i % ctx === 0 || id !== padId ? 1 : 0)),
        [texts.length, ctx],
      );
    }
    return this.run(this.textual, textual.output, feeds, texts.length);
  }

  private intTensor(values: number[], dims: number[]): ort.Tensor {
    return this.config.textual.inputType === 'int64'
      ? new ort.Tensor(
          'int64',
          BigInt64Array.from(values, (v) => BigInt(v)),
          dims,
        )
      : new ort.Tensor('int32', Int32Array.from(values), dims);
  }

  /** The model's prompt template around a user phrase ("red" → "a photo of red"). */
  prompt(text: string): string {
    return applyPromptTemplate(this.config.promptTemplate, text);
  }

  private async run(
    session: ort.InferenceSession,
    outputOverride: string | undefined,
    feeds: Record<string, ort.Tensor>,
    count: number,
  ): Promise<Float32Array[]> {
    const outputName = outputOverride ?? session.outputNames[0]!;
    const result = await session.run(feeds, [outputName]);
    const output = result[outputName];
    if (!output || output.type !== 'float32')
      throw new FacetError('model_corrupt', `CLIP model ${this.modelId} gave no float32 output "${outputName}".`);
    const data = output.data as Float32Array;
    const dim = data.length / count;
    if (dim !== this.dimensions) {
      throw new FacetError(
        'model_corrupt',
        `CLIP model ${this.modelId} produced ${dim}-d embeddings; its manifest says ${this.dimensions}.`,
      );
    }
    return Array.from({ length: count }, (_, i) => l2Normalize(data.slice(i * dim, (i + 1) * dim)));
  }
}

async function openSession(openSessionFor: SessionFactory, modelPath: string, modelId: string): Promise<ort.InferenceSession> {
  try {
    return await openSessionFor(modelPath);
  } catch (error) {
    throw new FacetError(
      'model_corrupt',
      `CLIP model ${modelId}: ${modelPath} cannot be loaded (${(error as Error).message.split('\n')[0]}). Download it again: facet models download ${modelId}`,
    );
  }
}
