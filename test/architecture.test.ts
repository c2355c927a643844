import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  cycles,
  ENGINE_LAYERS,
  engineFolderOf,
  groupGraph,
  layerViolations,
  sourceFiles,
  specifiersIn,
  type ImportGraph,
} from '../scripts/import-graph';

/**
 * The layering rules of docs/ARCHITECTURE.md, checked on the import statements themselves (every
 * kind: `import type`, `export … from`, `import()`, `require()`): the engine's folders form a one-way
 * order, no two files import each other (even through a chain, even for types), the engine never
 * imports electron, common imports nothing platform-specific, the renderer reaches the engine only
 * through the API contract in src/common, and the product never imports the benchmarks or the tests.
 */
const ALL = ['src', 'electron', 'renderer/src', 'bench', 'test', 'scripts'].flatMap((dir) => sourceFiles(dir));
const GRAPH = buildGraph(ALL);

function importsOf(file: string): string[] {
  return specifiersIn(fs.readFileSync(path.resolve(__dirname, '..', file), 'utf8'), file);
}

function targetsFrom(prefixes: string[]): { file: string; target: string }[] {
  return [...GRAPH]
    .filter(([file]) => prefixes.some((p) => file.startsWith(p)))
    .flatMap(([file, targets]) => targets.map((target) => ({ file, target })));
}

/** An in-memory project: file → source text, for proving that each rule fails on a violation. */
function graphOf(files: Record<string, string>): ImportGraph {
  return buildGraph(
    Object.keys(files),
    (f) => files[f]!,
    (p) => p in files,
  );
}

describe('the engine folders form a one-way order', () => {
  it('every engine folder is in a layer and no import goes up or sideways', () => {
    expect(sourceFiles('src/engine').length).toBeGreaterThan(100);
    expect(layerViolations(GRAPH)).toEqual([]);
  });

  it('the folders have no cycle and every layer is in use', () => {
    expect(cycles(groupGraph(GRAPH, engineFolderOf))).toEqual([]);
    const used = new Set(sourceFiles('src/engine').map(engineFolderOf));
    expect(ENGINE_LAYERS.flat().filter((name) => name !== 'util' && !used.has(name))).toEqual([]);
  });

  it('the order check fails on an upward import, a sideways import and a folder outside the order', () => {
    const bad = graphOf({
      'src/engine/library/photos.ts': "import type { Person } from '../people/person';\n",
      'src/engine/people/person.ts': "import { similar } from '../search/similar';\nexport type Person = {};\n",
      'src/engine/search/similar.ts': "import { rgb } from '../imaging/rgb';\nexport const similar = 1;\n",
      'src/engine/imaging/rgb.ts': 'export const rgb = 1;\n',
      'src/engine/misc/helper.ts': "import { rgb } from '../imaging/rgb';\n",
    });
    expect(layerViolations(bad)).toEqual([
      'src/engine/library/photos.ts → src/engine/people/person.ts (library may not import people)',
      'src/engine/people/person.ts → src/engine/search/similar.ts (people may not import search)',
      'src/engine/misc/helper.ts: folder "misc" is in no layer (add it to ENGINE_LAYERS and docs/ARCHITECTURE.md)',
    ]);
  });
});

describe('no cycle between files', () => {
  it('no file reaches itself through its imports (type-only imports included)', () => {
    expect(GRAPH.size).toBeGreaterThan(250);
    expect(cycles(GRAPH)).toEqual([]);
  });

  it('the cycle check finds a two-file and a three-file cycle made of type-only imports, re-exports and import()', () => {
    const bad = graphOf({
      'src/a.ts': "import type { B } from './b';\nexport type A = B;\n",
      'src/b.ts': "export type { A } from './a';\nexport type B = 1;\n",
      'src/c.ts': "let d: import('./d').D;\n",
      'src/d.ts': "export * from './e';\n",
      'src/e.ts': "const c = require('./c');\n",
      'src/f.ts': "import './a';\n",
    });
    expect(cycles(bad).map((c) => c.join(' '))).toEqual(expect.arrayContaining(['src/a.ts src/b.ts', 'src/c.ts src/d.ts src/e.ts']));
    expect(cycles(bad)).toHaveLength(2);
  });
});

describe('tests mirror the source tree', () => {
  it('test/engine/<folder> names an engine folder, and test/ holds only the mirror, the journeys and their support', () => {
    const root = path.resolve(__dirname, '..');
    const dirs = (dir: string) =>
      fs
        .readdirSync(path.join(root, dir), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    expect(dirs('test/engine').filter((name) => !dirs('src/engine').includes(name))).toEqual([]);
    expect(
      dirs('test').filter((name) => !['engine', 'cli', 'app', 'bench', 'hardening', 'e2e', 'fixtures', 'support'].includes(name)),
    ).toEqual([]);
  });
});

/** An SQL statement in source text (keywords in capitals, as every statement in this tree is written). */
const SQL_STATEMENT =
  /\b(?:SELECT\s+(?:DISTINCT\s+)?[a-zA-Z_*(]|(?:INSERT\s+(?:OR\s+[A-Z]+\s+)?INTO|UPDATE\s+[a-z_]+\s+SET|DELETE\s+FROM|(?:CREATE|DROP)\s+(?:TABLE|INDEX|VIRTUAL|TRIGGER))\b)|\bdb\.(?:prepare|exec)\(/;
/** An SQL statement that writes rows. */
const SQL_WRITE = /\b(?:INSERT\s+(?:OR\s+[A-Z]+\s+)?INTO|UPDATE\s+[a-z_]+\s+SET|DELETE\s+FROM)\b/;

/**
 * The files outside src/engine/library that still hold SQL, each with why. Shrink this list; never
 * grow it without a reason a reviewer would accept (a new query belongs in a store under library/).
 */
const SQL_OUTSIDE_STORES: Record<string, string> = {
  'src/engine/search/search-filters.ts': 'search filters are built as SQL fragments; they need a query-builder store',
  'src/engine/search/date-place-sql.ts': 'date and place filter fragments (same)',
  'src/engine/search/photo-text-filter.ts': 'the text filter fragment (same)',
  'src/engine/search/photo-text.ts':
    'the photo-text read (path, status, error), not yet moved (the text-in-photos work was still editing it)',
};

/**
 * Tests that write rows themselves, each with why. A fixture that only needs "an indexed photo" calls
 * the stores (registerIndexedPhoto, registerFaces, writeImageVector, createPerson …).
 */
const TESTS_WRITING_SQL: Record<string, string> = {
  'test/fixtures/hardening/old-library.ts': 'builds a library of an old schema version, which no current store writes',
  'test/engine/library/migrations.test.ts': 'builds libraries of old schema versions',
  'test/engine/library/each-migration.test.ts': 'builds libraries of old schema versions',
  'test/engine/people/suggestion-value-migration.test.ts': 'builds a library of an old schema version',
  'test/engine/places/places-migration.test.ts': 'builds a library of an old schema version',
  'test/engine/library/organizer.test.ts': 'checks the schema constraints (UNIQUE album names) on raw rows',
  'test/engine/search/compact-vectors.test.ts': 'plants stale or missing vectors and future timestamps that no store writes',
  'test/engine/search/query/query-e2e.test.ts': 'drops the place rows to prove the parser copes without them',
  'test/engine/jobs/face-crop-job.test.ts':
    'forgets the face crops, as a library from before them is, so that the backfill has faces to crop',
  'test/engine/people/learning.test.ts': 'plants a rejection without the edit that would also move the face',
  'test/engine/people/mixed-cluster.test.ts':
    'plants a cluster question whose face has left its cluster since (a re-cluster cut short), which no single store call writes',
  'test/engine/people/operations.test.ts': 'changes dates, hidden flags and names behind the edit API, as another process would',
  'test/engine/library/face-vectors.test.ts':
    'plants vector rows without faces (more rows than the faces table counted), which no store writes',
  'test/engine/analyzers/face-crops.test.ts':
    'a temporary trigger fills the capped database during one photo save, so that commit fails as on a full disk',
};

function filesMatching(files: string[], pattern: RegExp): string[] {
  return files.filter((file) => pattern.test(fs.readFileSync(path.resolve(__dirname, '..', file), 'utf8')));
}

describe('the stores', () => {
  it('no file in src/ outside the stores and migrations of src/engine/library holds SQL (a listed exception says why)', () => {
    const holding = filesMatching(sourceFiles('src'), SQL_STATEMENT).filter((f) => !f.startsWith('src/engine/library/'));
    expect(holding.filter((f) => !(f in SQL_OUTSIDE_STORES))).toEqual([]);
    // A file that no longer holds SQL leaves the list, so the list stays the truth.
    expect(Object.keys(SQL_OUTSIDE_STORES).filter((f) => !holding.includes(f))).toEqual([]);
  });

  it('benches and tests write rows only through the stores (a listed exception says why)', () => {
    const writing = filesMatching([...sourceFiles('bench'), ...sourceFiles('test')], SQL_WRITE).filter(
      (f) => !f.startsWith('test/architecture'),
    );
    expect(writing.filter((f) => !(f in TESTS_WRITING_SQL))).toEqual([]);
    expect(Object.keys(TESTS_WRITING_SQL).filter((f) => !writing.includes(f))).toEqual([]);
  });

  it('the SQL detector sees statements and ignores prose and regular expressions', () => {
    for (const sql of [
      "db.prepare('SELECT id FROM photos')",
      '`INSERT OR IGNORE INTO x`',
      "'UPDATE faces SET a = 1'",
      "'DELETE FROM t'",
      'CREATE VIRTUAL TABLE',
      'SELECT count(*)',
      'db.exec(text)',
    ]) {
      expect(SQL_STATEMENT.test(sql), sql).toBe(true);
    }
    for (const prose of ['/(\\d+)/.exec(text)', 'select a photo', 'Select the faces', 'the UPDATE button', 'session.prepare(input)'])
      expect(SQL_STATEMENT.test(prose), prose).toBe(false);
    expect(SQL_WRITE.test("db.prepare('SELECT 1')")).toBe(false);
  });

  it('a cached statement never changes mode (pluck/raw/expand would change it for every caller): preparedPluck exists for that', () => {
    const offenders = ALL.filter((file) =>
      /\bprepared\((?:[^;]|\n)*?\)\s*\.(pluck|raw|expand)\(/.test(fs.readFileSync(path.resolve(__dirname, '..', file), 'utf8')),
    ).filter((f) => !f.startsWith('test/architecture'));
    expect(offenders).toEqual([]);
  });
});

describe('the product and its front ends', () => {
  it('the engine never imports electron', () => {
    const offenders = sourceFiles('src/engine').flatMap((file) =>
      importsOf(file)
        .filter((s) => s === 'electron' || s.startsWith('electron/'))
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the engine and the CLI never import from electron/, renderer/, bench/ or test/', () => {
    const offenders = targetsFrom(['src/']).filter(({ target }) =>
      ['electron/', 'renderer/', 'bench/', 'test/'].some((p) => target.startsWith(p)),
    );
    expect(offenders).toEqual([]);
  });

  it('the engine is below its front ends: nothing in src/engine imports src/cli', () => {
    expect(targetsFrom(['src/engine/']).filter(({ target }) => target.startsWith('src/cli/'))).toEqual([]);
  });

  it('common imports only zod and itself', () => {
    const offenders = sourceFiles('src/common').flatMap((file) =>
      importsOf(file)
        .filter((s) => !(s === 'zod' || (s.startsWith('.') && path.posix.join(path.posix.dirname(file), s).startsWith('src/common/'))))
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the renderer imports only src/common from the project', () => {
    const offenders = sourceFiles('renderer/src').flatMap((file) =>
      importsOf(file)
        .map((s) => ({ s, target: s.startsWith('.') ? path.posix.join(path.posix.dirname(file), s) : null }))
        .filter(({ s, target }) =>
          target ? !(target.startsWith('renderer/') || target.startsWith('src/common/')) : s === 'electron' || s.startsWith('node:'),
        )
        .map(({ s }) => `${file} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the import reader sees every kind of import', () => {
    const text =
      "import { app } from 'electron';\nimport type { X } from '../renderer/src/x';\nconst y = require('electron/main');\nexport * from './z';\nlet w: import('./w').W;\n";
    expect(specifiersIn(text)).toEqual(['electron', '../renderer/src/x', 'electron/main', './z', './w']);
    expect(
      specifiersIn('<script lang="ts">\nimport { api } from \'../lib/api\';\n</script>\n<p>import x from "nothing"</p>', 'A.svelte'),
    ).toEqual(['../lib/api']);
  });
});
