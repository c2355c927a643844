import type { EngineContext } from '../context';
import { clipCoverage } from '../library/backfill-queries';
import { searchModelId } from '../search/clip-loader';

/** How many indexed photos each CLIP model covers (installed ones included at 0), and which one search reads. */
export function clipCoverageReport(ctx: EngineContext): { modelId: string; photos: number; installed: boolean; search: boolean }[] {
  const installed = new Set(ctx.models.installedFor('clip').map((m) => m.id));
  const counts = new Map(clipCoverage(ctx.library.db).map((c) => [c.modelId, c.photos]));
  for (const id of installed) if (!counts.has(id)) counts.set(id, 0);
  let active: string | null = null;
  try {
    active = installed.size ? searchModelId(ctx.library, ctx.models) : null;
  } catch {
    active = null;
  }
  return [...counts].map(([modelId, photos]) => ({ modelId, photos, installed: installed.has(modelId), search: modelId === active }));
}
