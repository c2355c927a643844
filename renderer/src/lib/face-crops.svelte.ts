/**
 * Counts the engine's "people changed" news. A face whose crop was missing (a library from before crops,
 * while its backfill job runs) is cut from the thumbnail; when the news comes (the backfill ends with
 * it), the face asks for its crop again.
 */
class FaceCrops {
  generation = $state(0);

  changed(): void {
    this.generation++;
  }
}

export const faceCrops = new FaceCrops();
