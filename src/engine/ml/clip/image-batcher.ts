import type { RgbImage } from '../../imaging/rgb-image';

/**
 * Photos in flight ask for their image embedding one at a time; those that ask while a session run is
 * busy go together into the next run, up to `maxBatch`. No timer: a lone photo runs at once, and batches
 * form only when the encoder is the bottleneck.
 *
 * WHY (measured on the ViT-B/32-shaped bench model, 2 cores, one session): one image a run costs 55 ms of
 * CPU per image, two 46 ms, four 41 ms, eight 40 ms. Concurrent runs of one session gain nothing
 * (onnxruntime-node ran two at once no faster than one after the other), so batching is the only gain.
 */
export class ImageBatcher {
  private queue: { image: RgbImage; resolve: (vector: Float32Array) => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly embedImages: (images: readonly RgbImage[]) => Promise<Float32Array[]>,
    private readonly maxBatch = 8,
  ) {}

  embed(image: RgbImage): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      this.queue.push({ image, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch = this.queue.splice(0, this.maxBatch);
    void this.run(batch).finally(() => {
      this.running = false;
      this.pump();
    });
  }

  private async run(batch: ImageBatcher['queue']): Promise<void> {
    try {
      const vectors = await this.embedOneEach(batch.map((b) => b.image));
      batch.forEach((b, i) => b.resolve(vectors[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // One photo's failure must not fail the others it happened to share a run with.
      for (const b of batch) await this.embedOneEach([b.image]).then(([v]) => b.resolve(v!), b.reject);
    }
  }

  /** A run that returns a different number of vectors than images can't say which is whose: it failed. */
  private async embedOneEach(images: RgbImage[]): Promise<Float32Array[]> {
    const vectors = await this.embedImages(images);
    if (vectors.length !== images.length)
      throw new Error(`The CLIP image encoder returned ${vectors.length} embeddings for ${images.length} images.`);
    return vectors;
  }
}
