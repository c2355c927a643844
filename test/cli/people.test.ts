import { PassThrough } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/facet';
import { createCliContext, exitCodeFor } from '../../src/cli/context';
import { runIncrementalClustering } from '../../src/engine/people/incremental-clustering';
import { describeWithShared } from '../support/shared';
import { tempDir } from '../support/temp';
import { libraryWithFaces } from '../engine/people/support/library-fixture';
import { loadRealFaces } from '../engine/people/support/real-faces';

/** Runs `facet <args>` in process, as the binary would, capturing stdout, stderr and the exit code. */
async function facet(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  let code = 0;
  try {
    await buildProgram(createCliContext(out, err)).parseAsync(['node', 'facet', ...args]);
  } catch (error) {
    code = exitCodeFor(error);
    stderr += (error as Error).message;
  }
  return { code, stdout, stderr };
}

describeWithShared('facet people commands (the stable CLI contract)', () => {
  let dir: string;
  let clusterFaceIds: number[];
  beforeAll(async () => {
    dir = tempDir();
    const { library } = libraryWithFaces(dir, await loadRealFaces('faces-celebs'));
    runIncrementalClustering(library);
    const biggest = library.db
      .prepare('SELECT person_id FROM faces WHERE person_id IS NOT NULL GROUP BY person_id ORDER BY COUNT(*) DESC LIMIT 1')
      .pluck()
      .get();
    clusterFaceIds = library.db.prepare('SELECT id FROM faces WHERE person_id = ? ORDER BY id').pluck().all(biggest) as number[];
    library.close();
  });

  it('people --json lists id, name, faceCount, coverFaceId, hidden; name <bare face id> names the whole cluster; undo reverts', async () => {
    const listed = JSON.parse((await facet('people', '--library', dir, '--json')).stdout) as Record<string, unknown>[];
    expect(listed.length).toBeGreaterThan(5);
    for (const p of listed) expect(Object.keys(p).sort()).toEqual(['coverFaceId', 'faceCount', 'hidden', 'id', 'name']);
    const named = await facet('name', String(clusterFaceIds[0]), 'Angelina Jolie', '--library', dir, '--json');
    expect(named.code).toBe(0);
    const after = JSON.parse((await facet('people', '--library', dir, '--json')).stdout) as { name: string | null; faceCount: number }[];
    expect(after.find((p) => p.name === 'Angelina Jolie')?.faceCount).toBe(clusterFaceIds.length);
    expect((await facet('undo', '--library', dir)).code).toBe(0);
    const undone = JSON.parse((await facet('people', '--library', dir, '--json')).stdout) as { name: string | null }[];
    expect(undone.some((p) => p.name === 'Angelina Jolie')).toBe(false);
  });

  it.each([
    [['name', 'person:1', ''], /empty/i],
    [['name', 'person:1', 'x'.repeat(10_000)], /200 characters/],
    [['name', 'person:999999', 'Nobody'], /no person 999999/i],
    [['name', 'face:999999', 'Nobody'], /no face 999999/i],
    [['merge', '1', '1'], /itself/],
    [['move', '999999', '--to', '1'], /no face 999999/i],
    [['name', 'photo:3', 'X'], /face id/],
  ])('facet %j fails clearly and changes nothing', async (args, message) => {
    const before = (await facet('people', '--library', dir, '--json')).stdout;
    const result = await facet(...args, '--library', dir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect((await facet('people', '--library', dir, '--json')).stdout).toBe(before);
  });

  it('suggestions --json is the review queue (calibrated confidence, faces a "yes" settles); recluster --reset-learning reports nothing learned', async () => {
    // Split one face off the biggest cluster and name it: the rest of the cluster becomes one question.
    expect(
      (
        await facet(
          'split',
          `person:${(JSON.parse((await facet('people', '--library', dir, '--json')).stdout) as { id: number; faceCount: number }[]).sort((a, b) => b.faceCount - a.faceCount)[0]!.id}`,
          '--faces',
          String(clusterFaceIds[0]),
          '--library',
          dir,
        )
      ).code,
    ).toBe(0);
    expect((await facet('name', String(clusterFaceIds[0]), 'Alice', '--library', dir)).code).toBe(0);
    const queue = JSON.parse((await facet('suggestions', '--library', dir, '--json')).stdout) as {
      faceId: number;
      personName: string;
      confidence: number;
      settles: number;
    }[];
    expect(queue[0]).toMatchObject({ personName: 'Alice', settles: clusterFaceIds.length - 1 });
    expect(queue[0]!.confidence).toBeGreaterThan(0.1);
    expect(queue[0]!.confidence).toBeLessThanOrEqual(1);
    const faces = JSON.parse((await facet('faces', '--library', dir, '--json')).stdout) as {
      id: number;
      person: number | null;
      personName: string | null;
      confidence: number | null;
      suggestion?: { personName: string };
    }[];
    const asked = faces.find((f) => f.id === queue[0]!.faceId)!;
    expect(asked).toMatchObject({ personName: null, suggestion: { personName: 'Alice' } });
    expect(asked).toHaveProperty('confidence');
    const reset = await facet('recluster', '--reset-learning', '--library', dir, '--json');
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ learned: null });
  });

  it('suggestions --json asks "Who is this?" about unnamed clusters (kind "cluster"); name <face> <name> --with <faces> answers it', async () => {
    const fresh = tempDir();
    const { library } = libraryWithFaces(fresh, await loadRealFaces('faces-celebs'));
    runIncrementalClustering(library);
    library.close();
    const queue = JSON.parse((await facet('suggestions', '--library', fresh, '--json')).stdout) as {
      kind: string;
      faceId: number;
      personName: string | null;
      confidence: number | null;
      settles: number;
      clusterId: number | null;
      faceIds: number[];
    }[];
    const [who] = queue;
    expect(who).toMatchObject({ kind: 'cluster', personName: null, confidence: null });
    expect(who!.settles).toBeGreaterThanOrEqual(2);
    expect(who!.faceIds[0]).toBe(who!.faceId);
    const text = (await facet('suggestions', '--library', fresh)).stdout;
    expect(text).toContain(`face:${who!.faceId}  cluster person:${who!.clusterId} (${who!.settles} faces)  Who is this?`);

    const named = await facet(
      'name',
      String(who!.faceId),
      'Carol',
      '--with',
      ...who!.faceIds.slice(1).map(String),
      '--library',
      fresh,
      '--json',
    );
    expect(named.code).toBe(0);
    const faces = JSON.parse((await facet('faces', '--library', fresh, '--json')).stdout) as { id: number; personName: string | null }[];
    expect(faces.filter((f) => f.personName === 'Carol')).toHaveLength(who!.settles);
    const after = JSON.parse((await facet('suggestions', '--library', fresh, '--json')).stdout) as { clusterId: number | null }[];
    expect(after.map((q) => q.clusterId)).not.toContain(who!.clusterId);
    // A face of another cluster cannot ride along: refused, nothing changed.
    const other = queue.find((q) => q.clusterId !== who!.clusterId)!;
    const refused = await facet('name', String(other.faceId), 'Dave', '--with', String(who!.faceIds[0]), '--library', fresh);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/not all in one unnamed cluster/);
    expect((await facet('undo', '--library', fresh)).code).toBe(0);
    const undone = JSON.parse((await facet('suggestions', '--library', fresh, '--json')).stdout) as { faceId: number }[];
    expect(undone[0]!.faceId).toBe(who!.faceId);
  });

  it('name <face> <name> --alone names that face only, not its unnamed cluster; --alone with a person is refused', async () => {
    const fresh = tempDir();
    const { library } = libraryWithFaces(fresh, await loadRealFaces('faces-celebs'));
    runIncrementalClustering(library);
    library.close();
    const [who] = JSON.parse((await facet('suggestions', '--library', fresh, '--json')).stdout) as {
      faceId: number;
      settles: number;
      clusterId: number;
    }[];
    const named = await facet('name', String(who!.faceId), 'Erin', '--alone', '--library', fresh, '--json');
    expect(named.code).toBe(0);
    const faces = JSON.parse((await facet('faces', '--library', fresh, '--json')).stdout) as {
      id: number;
      person: number | null;
      personName: string | null;
    }[];
    expect(faces.filter((f) => f.personName === 'Erin').map((f) => f.id)).toEqual([who!.faceId]);
    expect(faces.filter((f) => f.person === who!.clusterId)).toHaveLength(who!.settles - 1);
    const refused = await facet('name', `person:${who!.clusterId}`, 'Erin', '--alone', '--library', fresh);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--alone names one face/);
  });
});
