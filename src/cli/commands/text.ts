import path from 'node:path';
import type { Command } from 'commander';
import type { PhotoText } from '../../common/api/text';
import { resolvePhotoRef } from '../../engine/search/similar';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { unwrap } from '../../common/result';
import { FacetError } from '../../common/errors';

/** `facet text <photo|id>`: the text recognised in a photo, line by line, with boxes. */
export function registerTextCommand(program: Command, cli: CliContext): void {
  withCommonOptions(
    program
      .command('text')
      .description('the text recognised in a photo (signs, labels, documents), with boxes')
      .argument('<photo>', 'a photo path or library id'),
  ).action(async (photo: string, options: CommonOptions) => {
    await cli.withEngine({ ...options, readonly: true }, async (engine) => {
      const photoId = resolvePhotoRef(engine.library, photo, (p) => path.resolve(p));
      const text = unwrap(await engine.call('text.photo', { photoId }));
      if (text.state === 'failed') throw new FacetError('unsupported', `Facet could not read this photo, so it has no text: ${text.error}`);
      cli.print(options, text, () => describe(text));
    });
  });
}

function describe(text: PhotoText): string {
  if (text.state === 'pending') return 'Not read yet: text is read by the backfill-text job after indexing (facet index <folder> runs it).';
  if (text.lines.length === 0) return 'No text found in this photo.';
  const lines = text.lines.map(
    (l) => `${l.text}    (${Math.round(l.confidence * 100)}%, ${l.language}, box ${l.box.map(Math.round).join(',')})`,
  );
  return [...lines, ...(text.truncated ? ['(more text than Facet reads per photo: only the clearest lines were read)'] : [])].join('\n');
}
