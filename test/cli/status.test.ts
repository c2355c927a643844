import path from 'node:path';
import { expect, it } from 'vitest';
import type { LibraryStatus } from '../../src/common/api/library';
import { Engine } from '../../src/engine/engine';
import { READ_TEXT_SETTING } from '../../src/engine/jobs/text-setting';
import { INFERENCE_WORKERS, workerThreadsFor } from '../../src/engine/ml/runtime/open-models';
import { describeWithShared, SHARED_MODELS } from '../support/shared';
import { parseJson, runFacet } from '../support/cli';
import { tempDir } from '../support/temp';

it('facet status says whether the text models start in worker threads (the embedded models: no download)', async () => {
  const library = path.join(tempDir('facet-status-cli-'), 'library');
  const status = parseJson<LibraryStatus>(await runFacet(['status', '--json', '--library', library]));
  // On one core the models stay on the main thread by design, and no worker is tried.
  const expected = INFERENCE_WORKERS >= 2 ? { size: INFERENCE_WORKERS, failed: null } : null;
  // No face model is installed in this library: only the embedded text models were opened.
  expect(status.inferenceWorkers).toEqual({ face: null, text: expected });
  expect(status.heicDecoder.workersFailed).toBeNull();
  const printed = await runFacet(['status', '--library', library]);
  expect(printed.code).toBe(0);
  if (expected) expect(printed.stdout).toMatch(new RegExp(`^Text models +in ${INFERENCE_WORKERS} worker threads$`, 'm'));
});

it('facet status leaves the text models closed when reading text is turned off in the library', async () => {
  const library = path.join(tempDir('facet-status-cli-off-'), 'library');
  const engine = Engine.open({ libraryDir: library });
  engine.library.setSetting(READ_TEXT_SETTING, 'off');
  engine.close();
  const status = parseJson<LibraryStatus>(await runFacet(['status', '--json', '--library', library]));
  expect(status.inferenceWorkers).toEqual({ face: null, text: null });
});

describeWithShared('facet status with face models', () => {
  it('says how many worker threads find faces ("1 worker thread" on two cores)', async () => {
    const library = path.join(tempDir('facet-status-cli-faces-'), 'library');
    const printed = await runFacet(['status', '--library', library, '--models', SHARED_MODELS]);
    expect(printed.code).toBe(0);
    const size = workerThreadsFor('face');
    if (INFERENCE_WORKERS >= 2)
      expect(printed.stdout).toMatch(new RegExp(`^Face models +in ${size} worker thread${size === 1 ? '' : 's'}$`, 'm'));
  });
});
