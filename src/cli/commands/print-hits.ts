import type { SearchHit } from '../../common/api/search';
import type { CliContext, CommonOptions } from '../context';

/** The contract's JSON: [{"photo", "score", "takenAt"}]. */
export const jsonHits = (hits: SearchHit[]) =>
  hits.map((h) => ({ photo: h.photo, score: Math.round(h.score * 10_000) / 10_000, takenAt: h.takenAt }));

export function printHits(cli: CliContext, options: CommonOptions, hits: SearchHit[], empty: string): void {
  cli.print(options, jsonHits(hits), () =>
    hits.length ? hits.map((h) => `${h.score.toFixed(3)}  ${(h.takenAt ?? '').slice(0, 10).padEnd(10)}  ${h.photo}`).join('\n') : empty,
  );
}
