/** What clustering needs to know of one face (no pixels, no vector: neighbours carry similarity). */
export interface FaceRecord {
  id: number;
  photoId: number;
  quality: number;
  /** The resolution factor of its quality (quality.ts); null for faces indexed before it was stored. */
  resolution: number | null;
  personId: number | null;
  confirmed: boolean;
  /** The photo's capture time (ISO), for birth dates. */
  takenAt: string | null;
}

export interface PersonRecord {
  id: number;
  named: boolean;
  birthDate: string | null;
}

/** Which people already appear in each photo, to keep two faces of one photo apart (cannot-link). */
export class PhotoPeople {
  private readonly counts = new Map<number, Map<number, number>>();

  constructor(faces: Iterable<FaceRecord>) {
    for (const face of faces) if (face.personId !== null) this.move(face.photoId, null, face.personId);
  }

  move(photoId: number, from: number | null, to: number | null): void {
    let people = this.counts.get(photoId);
    if (!people) this.counts.set(photoId, (people = new Map()));
    if (from !== null) people.set(from, (people.get(from) ?? 1) - 1);
    if (to !== null) people.set(to, (people.get(to) ?? 0) + 1);
  }

  /** How many faces of `personId` the photo holds. */
  count(photoId: number, personId: number): number {
    return this.counts.get(photoId)?.get(personId) ?? 0;
  }
}
