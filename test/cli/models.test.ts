import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { Command } from 'commander';
import { expect, it } from 'vitest';
import type { ModelStatus, ModelVerification } from '../../src/common/api/models';
import { registerModelsCommands } from '../../src/cli/commands/models';
import { createCliContext } from '../../src/cli/context';
import { describeWithShared, SHARED_MODELS } from '../support/shared';
import { tempDir } from '../support/temp';

/** Runs `facet models ...` in-process against a fresh library, returning what it printed. */
async function facetModels(args: string[], library = path.join(tempDir(), 'lib')): Promise<string> {
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (d) => (printed += d));
  const program = new Command('facet').exitOverride();
  registerModelsCommands(program, createCliContext(stdout, new PassThrough()));
  await program.parseAsync(['node', 'facet', 'models', ...args, '--library', library, '--models', SHARED_MODELS]);
  return printed;
}

describeWithShared('facet models (CLI)', () => {
  it('lists every model with its status as JSON, and as a table for people', async () => {
    const list = JSON.parse(await facetModels(['--json'])) as ModelStatus[];
    expect(list.find((m) => m.id === 'yunet-2023mar')).toMatchObject({ installed: true, default: false, location: SHARED_MODELS });
    expect(list.find((m) => m.id === 'clip-vit-b32-openai')).toMatchObject({ installed: false, location: null });
    expect(await facetModels([])).toMatch(/^ {2}yunet-2023mar\s+face-detection\s+227 KB\s+installed/m);
  });

  it('verifies one model by id and refuses an unknown id with the known ones', async () => {
    const library = path.join(tempDir(), 'lib');
    expect(JSON.parse(await facetModels(['verify', 'mobilefacenet-128', '--json'], library))).toEqual([
      { id: 'mobilefacenet-128', ok: true },
    ] satisfies ModelVerification[]);
    // The subcommand used the --library it was given (commander hands such options to the parent).
    expect(fs.existsSync(path.join(library, 'facet.db'))).toBe(true);
    await expect(facetModels(['download', 'no-such-model'])).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/Known models: yunet-2023mar/),
    });
    await expect(facetModels(['download', '../etc'])).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
