import type { Command } from 'commander';
import type { ParsedQuery } from '../../common/api/search-query';
import { FacetError } from '../../common/errors';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { dayValue, positiveInt, scoreValue } from './cli-numbers';
import { registerDuplicatesCommand } from './duplicates';
import { jsonHits, printHits } from './print-hits';
import { registerSimilarCommand } from './similar';
import { registerTagsCommand } from './tags';
import { unwrap } from '../../common/result';

/** The search family: `facet search`, `facet similar`, `facet tags`, `facet duplicates`. */
export function registerSearchCommands(program: Command, cli: CliContext): void {
  registerSearchCommand(program, cli);
  registerSimilarCommand(program, cli);
  registerTagsCommand(program, cli);
  registerDuplicatesCommand(program, cli);
}

interface SearchOptions extends CommonOptions {
  person: string[];
  from?: string;
  to?: string;
  folder?: string;
  tag?: string;
  limit?: number;
  minScore?: number;
  sort?: string;
  explain?: boolean;
  today?: string;
  text: string[];
}

function registerSearchCommand(program: Command, cli: CliContext): void {
  withCommonOptions(
    program
      .command('search')
      .description('find photos by what they show, with exact filters')
      .argument('[query]', 'what to look for, e.g. "dog on a beach"'),
  )
    .option('--person <name>', 'only photos showing this person (repeat: all of them)', (v: string, all: string[]) => [...all, v], [])
    .option('--from <date>', 'taken on or after YYYY-MM-DD', dayValue('--from'))
    .option('--to <date>', 'taken on or before YYYY-MM-DD', dayValue('--to'))
    .option('--folder <dir>', 'only photos under this folder')
    .option('--tag <tag>', 'only photos with this tag (see facet tags)')
    .option('--limit <n>', 'at most this many results (default 50)', positiveInt('--limit', 1000))
    .option('--min-score <s>', "relevance cutoff; lower it to widen the search (default: the model's)", scoreValue('--min-score'))
    .option('--sort <order>', 'relevance | date', 'relevance')
    .option('--explain', 'say how the query was read: people, dates, places, quoted text, what goes to CLIP')
    .option('--today <date>', 'read relative dates ("last summer", "작년") as if today were YYYY-MM-DD', dayValue('--today'))
    .option('--text <words>', 'only photos with these words written in them (signs, labels); repeat: all of them', textWords, [])
    .action(async (query: string | undefined, options: SearchOptions) => {
      if (options.sort !== 'relevance' && options.sort !== 'date')
        throw new FacetError('invalid_argument', `--sort must be relevance or date (got "${options.sort}").`);
      await cli.withEngine({ ...options, readonly: true }, async (engine) => {
        const text = query ?? '';
        const today = options.today ? { today: options.today } : {};
        const reading = unwrap(await engine.call('search.interpret', { text, ...today }));
        for (const warning of reading.warnings) cli.stderr.write(`facet: note: ${warning}\n`);
        if (options.explain && !options.json) cli.stdout.write(`${explain(reading, flagFilters(options))}\n\n`);
        const hits = unwrap(
          await engine.call('search.query', {
            text,
            ...today,
            people: options.person,
            photoText: options.text,
            sort: options.sort as 'relevance' | 'date',
            ...(options.from ? { from: options.from } : {}),
            ...(options.to ? { to: options.to } : {}),
            ...(options.folder ? { folder: options.folder } : {}),
            ...(options.tag ? { tag: options.tag } : {}),
            ...(options.limit ? { limit: options.limit } : {}),
            ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
          }),
        );
        if (options.explain && options.json) cli.print(options, { query: reading, results: jsonHits(hits) });
        else printHits(cli, options, hits, 'No photo matches. Try fewer filters or a lower --min-score.');
      });
    });
}

/** `--text` (repeatable): the schema's "Too small: expected string to have >=1 characters" said in CLI words. */
function textWords(value: string, all: string[]): string[] {
  if (!value.trim())
    throw new FacetError('invalid_argument', '--text needs a word or phrase written in the photo, e.g. --text "open 24 hours".');
  if (value.trim().length > 200) throw new FacetError('invalid_argument', '--text takes at most 200 characters per phrase.');
  return [...all, value];
}

/** The filters given as flags, for --explain: they apply as much as the words do. */
function flagFilters(options: SearchOptions): string[] {
  return [
    ...options.person.map((p) => `person  ${p}  (from --person)`),
    ...(options.from ? [`date    from ${options.from}  (from --from)`] : []),
    ...(options.to ? [`date    to ${options.to}  (from --to)`] : []),
    ...(options.folder ? [`folder  ${options.folder}  (from --folder)`] : []),
    ...(options.tag ? [`tag     ${options.tag}  (from --tag)`] : []),
    ...options.text.map((t) => `text    “${t}”  (from --text)`),
  ];
}

/** `--explain`: one line per part of the query, in query order, then the flags' filters. */
export function explain(reading: ParsedQuery, flags: readonly string[] = []): string {
  const lines = reading.chips.map((chip) => {
    if (chip.kind === 'person') {
      const person = reading.people.find((p) => p.name === chip.label);
      const also = person?.alternatives.length ? `; also matches ${person.alternatives.join(', ')}` : '';
      return `person  ${chip.label}  (from "${chip.source}"${also})`;
    }
    if (chip.kind === 'visual') return `looks like  ${chip.label}  (searched with CLIP)`;
    return `${chip.kind.padEnd(6)}  ${chip.label}  (${chip.detail ? `${chip.detail}; ` : ''}from "${chip.source}")`;
  });
  lines.push(...flags);
  if (!reading.visual) lines.push('(no visual words: the matching photos, newest first; no CLIP model needed)');
  return ['Read the query as:', ...lines.map((l) => `  ${l}`)].join('\n');
}
