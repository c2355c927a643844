import type { Command } from 'commander';
import type { EditResult, PersonSummary } from '../../common/api/people';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { parseId, parseTarget } from './people-ids';
import { unwrap } from '../../common/result';
import { FacetError } from '../../common/errors';

const faceIds = parseId('face');
const personId = parseId('person');

function printEdit(cli: CliContext, options: CommonOptions, result: EditResult): void {
  cli.print(options, result, () => `${result.summary}. (facet undo reverses it.)`);
}

function formatPeople(people: Omit<PersonSummary, 'cover'>[]): string {
  return (
    people
      .map(
        (p) =>
          `person:${p.id}  ${(p.name ?? '(unnamed)').padEnd(24)} ${String(p.faceCount).padStart(5)} faces${p.hidden ? '  hidden' : ''}`,
      )
      .join('\n') || 'No people yet.'
  );
}

/**
 * People commands: list, name, merge, move, reject, split, hide, cover, birth date, suggestions, undo.
 * Each edit goes through the API (validated there, undoable) and clusters freed faces again.
 */
export function registerPeopleCommands(program: Command, cli: CliContext): void {
  withCommonOptions(program.command('people').description('every person: id, name, face count, cover face, hidden'))
    .option('--visible', 'leave hidden people out')
    .action(async (options: CommonOptions & { visible?: boolean }) => {
      await cli.withEngine({ ...options, readonly: true }, async (engine) => {
        // The CLI contract is exactly these five keys; the app's cards also get where the cover face is.
        const people = unwrap(await engine.call('people.list', { includeHidden: !options.visible })).map(
          ({ id, name, faceCount, coverFaceId, hidden }) => ({ id, name, faceCount, coverFaceId, hidden }),
        );
        cli.print(options, people, () => formatPeople(people));
      });
    });

  withCommonOptions(
    program
      .command('name')
      .description(
        'name a face (assigns it; an unnamed cluster takes the name whole) or a person. A bare number is a face id; use person:<id> for a person',
      )
      .argument('<faceId|personId>', 'face:<id>, person:<id>, or a bare face id')
      .argument('<name>')
      .option(
        '--with <faceId...>',
        "answer a cluster question: also confirm these faces of the face's unnamed cluster (a suggestion's faceIds)",
      )
      .option(
        '--alone',
        'name only this face, even in an unnamed cluster (the answer to a question about that face alone: kind "face" with a clusterId)',
      ),
  ).action(async (target: string, name: string, options: CommonOptions & { with?: string[]; alone?: boolean }) => {
    const parsed = parseTarget(target);
    if (options.with && parsed.kind !== 'face')
      throw new FacetError('invalid_argument', "--with takes the faces of a face's cluster: name a face.");
    if (options.alone && (parsed.kind !== 'face' || options.with))
      throw new FacetError('invalid_argument', '--alone names one face: give a face, without --with.');
    await cli.withEngine(options, async (engine) => {
      const result = options.with
        ? await engine.call('people.nameCluster', { faceIds: [parsed.id, ...options.with.map(faceIds)], name })
        : parsed.kind === 'face'
          ? await engine.call('people.nameFace', { faceId: parsed.id, name, alone: options.alone === true })
          : await engine.call('people.name', { id: parsed.id, name });
      printEdit(cli, options, unwrap(result));
    });
  });

  withCommonOptions(
    program.command('merge').description('merge a person into another').argument('<personId>').argument('<intoPersonId>'),
  ).action(async (from: string, into: string, options: CommonOptions) => {
    await cli.withEngine(options, async (engine) =>
      printEdit(cli, options, unwrap(await engine.call('people.merge', { id: personId(from), into: personId(into) }))),
    );
  });

  withCommonOptions(
    program
      .command('move')
      .description('move faces to a person')
      .argument('<faceId...>')
      .requiredOption('--to <personId>', 'target person', personId),
  ).action(async (faces: string[], options: CommonOptions & { to: number }) => {
    await cli.withEngine(options, async (engine) =>
      printEdit(cli, options, unwrap(await engine.call('people.move', { faceIds: faces.map(faceIds), to: options.to }))),
    );
  });

  withCommonOptions(
    program.command('reject').description('remove faces from their person (never put back there)').argument('<faceId...>'),
  ).action(async (faces: string[], options: CommonOptions) => {
    await cli.withEngine(options, async (engine) =>
      printEdit(cli, options, unwrap(await engine.call('people.reject', { faceIds: faces.map(faceIds) }))),
    );
  });

  withCommonOptions(
    program
      .command('split')
      .description('split selected faces off into a new person')
      .argument('<personId>')
      .requiredOption('--faces <faceId...>', 'faces to split off'),
  ).action(async (person: string, options: CommonOptions & { faces: string[] }) => {
    await cli.withEngine(options, async (engine) =>
      printEdit(cli, options, unwrap(await engine.call('people.split', { id: personId(person), faceIds: options.faces.map(faceIds) }))),
    );
  });

  withCommonOptions(
    program
      .command('hide')
      .description('hide a person (or show again with --unhide)')
      .argument('<personId>')
      .option('--unhide', 'show the person again'),
  ).action(async (person: string, options: CommonOptions & { unhide?: boolean }) => {
    await cli.withEngine(options, async (engine) =>
      printEdit(cli, options, unwrap(await engine.call('people.hide', { id: personId(person), hidden: !options.unhide }))),
    );
  });

  withCommonOptions(program.command('cover').description("set a person's cover face").argument('<personId>').argument('<faceId>')).action(
    async (person: string, face: string, options: CommonOptions) => {
      await cli.withEngine(options, async (engine) =>
        printEdit(cli, options, unwrap(await engine.call('people.setCover', { id: personId(person), faceId: faceIds(face) }))),
      );
    },
  );

  withCommonOptions(
    program
      .command('birthdate')
      .description("set (YYYY-MM-DD) or clear (none) a person's birth date")
      .argument('<personId>')
      .argument('<date>'),
  ).action(async (person: string, date: string, options: CommonOptions) => {
    await cli.withEngine(options, async (engine) =>
      printEdit(
        cli,
        options,
        unwrap(await engine.call('people.setBirthDate', { id: personId(person), birthDate: date === 'none' ? null : date })),
      ),
    );
  });

  withCommonOptions(
    program
      .command('suggestions')
      .description('the review queue: named best guesses for faces, and unnamed clusters to name (kind "cluster")')
      .option('--person <personId>', 'only this person', personId),
  ).action(async (options: CommonOptions & { person?: number }) => {
    await cli.withEngine({ ...options, readonly: true }, async (engine) => {
      const list = unwrap(
        await engine.call('people.suggestions', { ...(options.person ? { personId: options.person } : {}), limit: 10_000 }),
      );
      cli.print(
        options,
        list,
        () =>
          list
            .map((s) =>
              s.kind === 'face'
                ? `face:${s.faceId}  ${s.personName}  ${((s.confidence ?? 0) * 100).toFixed(0)}%`
                : `face:${s.faceId}  cluster person:${s.clusterId} (${s.settles} faces)  ${s.personName ? `${s.personName}? ${((s.confidence ?? 0) * 100).toFixed(0)}%` : 'Who is this?'}  faces ${s.faceIds.join(' ')}`,
            )
            .join('\n') || 'No suggestions.',
      );
    });
  });

  for (const [name, channel, what] of [
    ['accept', 'people.acceptSuggestions', 'accept the suggestions of these faces'],
    ['decline', 'people.rejectSuggestions', 'decline the suggestions of these faces (never suggested again)'],
  ] as const) {
    withCommonOptions(program.command(name).description(what).argument('<faceId...>')).action(
      async (faces: string[], options: CommonOptions) => {
        await cli.withEngine(options, async (engine) =>
          printEdit(cli, options, unwrap(await engine.call(channel, { faceIds: faces.map(faceIds) }))),
        );
      },
    );
  }

  withCommonOptions(program.command('undo').description('undo the last people edit')).action(async (options: CommonOptions) => {
    await cli.withEngine(options, async (engine) => {
      const result = unwrap(await engine.call('people.undo', {}));
      cli.print(options, result, () => (result.undone ? `Undid: ${result.undone}` : 'Nothing to undo.'));
    });
  });

  withCommonOptions(
    program
      .command('export-xmp')
      .description('write XMP sidecars (MWG face regions, names only) next to the originals; originals are never modified'),
  ).action(async (options: CommonOptions) => {
    // Not read-only: the export is a job, recorded in the library's queue photo by photo.
    await cli.withEngine(options, async (engine) => {
      const result = unwrap(await engine.call('people.exportXmp', {}));
      cli.print(options, result, () =>
        [
          `Wrote ${result.written} sidecar${result.written === 1 ? '' : 's'}.`,
          ...result.skipped.map((s) => `Skipped ${s.path}: ${s.reason}`),
        ].join('\n'),
      );
    });
  });

  withCommonOptions(
    program
      .command('recluster')
      .description('cluster faces now (--full: redo all automatic clusters; names, confirmations and rejections stay)')
      .option('--full')
      .option(
        '--reset-learning',
        'forget what Facet learned from your corrections (the adapter), then re-cluster fully; names, confirmations and rejections stay',
      ),
  ).action(async (options: CommonOptions & { full?: boolean; resetLearning?: boolean }) => {
    await cli.withEngine(options, async (engine) => {
      const report = unwrap(
        await engine.call('people.recluster', { full: options.full ?? false, resetLearning: options.resetLearning ?? false }),
      );
      const learned = report.learned ? `; learned from ${report.learned.faces} confirmed faces of ${report.learned.people} people` : '';
      cli.print(
        options,
        report,
        () =>
          `${report.considered} faces considered: ${report.assigned} assigned, ${report.newPeople} new people, ${report.suggestions} suggestions${learned} (${report.seconds.toFixed(1)} s)`,
      );
    });
  });
}
