import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api/jobs';
import { tinyClipImmichExport } from '../fixtures/tiny-clip/immich-layout';
import { jobsOf, query } from '../engine/jobs/support';
import { parseJson, runFacet } from '../support/cli';
import { describeWithShared, sharedPhotos } from '../support/shared';
import { tempDir } from '../support/temp';

describeWithShared('facet jobs: list, pause, resume, cancel', () => {
  const work = tempDir('facet-jobs-cli-');
  const library = path.join(work, 'library');
  const facet = (...args: string[]) => runFacet([...args, '--library', library]);

  beforeAll(async () => {
    expect((await facet('index', sharedPhotos('faces-album'))).code).toBe(0);
    expect((await facet('models', 'add', tinyClipImmichExport(path.join(work, 'exports')), '--id', 'tiny')).code).toBe(0);
  });

  it('a paused job waits through facet index; resumed, the next facet index runs it; a finished job cannot be cancelled', async () => {
    const backfill = (await jobsOf(library)).find((j) => j.kind === 'backfill-clip')!;
    expect(backfill).toMatchObject({ state: 'queued', subject: 'tiny', done: 0 });

    const paused = parseJson<JobInfo>(await facet('jobs', 'pause', String(backfill.id), '--json'));
    expect(paused.state).toBe('paused');
    expect((await facet('index', sharedPhotos('faces-album'))).code).toBe(0);
    expect((await jobsOf(library)).find((j) => j.id === backfill.id)?.state).toBe('paused');
    expect(query(library, 'SELECT count(*) AS n FROM photo_embeddings')).toEqual([{ n: 0 }]);

    expect((await facet('jobs', 'resume', String(backfill.id))).stdout).toMatch(/^queued: #\d+ backfill-clip tiny/);
    expect((await facet('index', sharedPhotos('faces-album'))).code).toBe(0);
    expect((await jobsOf(library)).find((j) => j.id === backfill.id)).toMatchObject({ state: 'done', done: 23, total: 23 });

    const late = await facet('jobs', 'cancel', String(backfill.id));
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/is done; it cannot be cancelled/);
    const human = (await facet('jobs')).stdout;
    expect(human).toMatch(/done\s+backfill-clip tiny: 23\/23/);
    expect((await facet('jobs', 'pause', 'x')).code).toBe(2);
  });
});
