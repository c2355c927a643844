import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { Command } from 'commander';
import { expect, it } from 'vitest';
import type { ModelStatus, ModelVerification } from '../../src/common/api/models';
import { registerModelsCommands } from '../../src/cli/commands/models';
import { createCliContext } from '../../src/cli/context';
import { tinyClipImmichExport } from '../fixtures/tiny-clip/immich-layout';
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
    const table = await facetModels([]);
    expect(table).toMatch(/^ {2}yunet-2023mar\s+face-detection\s+227 KB\s+installed/m);
    // The manifest has no sizes for the Hugging Face CLIP exports: said in words, not "?".
    expect(table).toMatch(/^\* clip-vit-b32-openai\s+clip\s+unknown\s+not installed/m);
    expect(table).toContain('unknown = the manifest has no size for these files, shown once they are downloaded');
  });

  it('an added CLIP export shows its size on disk; one under a shipped id is refused before the library is touched', async () => {
    const library = path.join(tempDir(), 'lib');
    const folder = tinyClipImmichExport(path.join(tempDir(), 'exports'));
    const added = await facetModels(['add', folder, '--id', 'tiny', '--json'], library);
    const bytes = (JSON.parse(added) as ModelStatus).bytes;
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(await facetModels([], library)).toMatch(
      new RegExp(`^ {2}tiny\\s+clip\\s+${(bytes! / 2 ** 20).toFixed(1)} MB\\s+installed`, 'm'),
    );

    // The shipped model's own download (here a stand-in file) must survive a refused add under its id.
    const shipped = path.join(library, 'models', 'clip-vit-b32-openai');
    fs.mkdirSync(shipped, { recursive: true });
    fs.writeFileSync(path.join(shipped, 'config.json'), '{"downloaded": true}');
    await expect(facetModels(['add', folder, '--id', 'clip-vit-b32-openai'], library)).rejects.toMatchObject({ code: 'conflict' });
    expect(fs.readFileSync(path.join(shipped, 'config.json'), 'utf8')).toBe('{"downloaded": true}');
    expect(fs.existsSync(`${shipped}.adding`)).toBe(false);
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
