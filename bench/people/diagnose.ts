/** Where wrong names come from on a set: by face quality, and by how the face got its person. */
import { personOfEachFace } from '../../src/engine/library/face-store';
import { runIncrementalClustering } from '../../src/engine/people/incremental-clustering';
import { nameFace } from '../../src/engine/people/naming';
import { clusteredCache } from './clustered-cache';

const args = process.argv.slice(2).filter((a) => a !== '--');
const { faces, library, faceIds } = clusteredCache('/tmp/facet-learning-cache', args[0]!);
const before = personOfEachFace(library.db);
const named = new Map<string, number>();
faces.forEach((f, i) => {
  if (f.identity && !named.has(f.identity)) {
    named.set(f.identity, faceIds[i]!);
    nameFace(library, faceIds[i]!, f.identity);
  }
});
runIncrementalClustering(library);
const row = library.db.prepare(
  `SELECT f.person_id AS pid, p.name AS personName, f.confidence, s.name AS suggestionName, f.suggestion_confidence AS sc FROM faces f LEFT JOIN people p ON p.id = f.person_id LEFT JOIN people s ON s.id = f.suggested_person_id WHERE f.id = ?`,
);
const bins = new Map<string, { n: number; right: number; conf: number }>();
const add = (key: string, right: boolean, conf: number): void => {
  const b = bins.get(key) ?? { n: 0, right: 0, conf: 0 };
  b.n++;
  b.right += right ? 1 : 0;
  b.conf += conf;
  bins.set(key, b);
};
faces.forEach((f, i) => {
  const id = faceIds[i]!;
  if (!f.identity || named.get(f.identity) === id) return;
  const o = row.get(id) as {
    pid: number | null;
    personName: string | null;
    confidence: number | null;
    suggestionName: string | null;
    sc: number | null;
  };
  const predicted = o.personName ?? o.suggestionName;
  if (!predicted) return;
  const conf = o.personName ? o.confidence! : o.sc!;
  const how = !o.personName
    ? o.pid === null
      ? 'sugg-free'
      : 'sugg-cluster'
    : before.get(id) !== null && before.get(id) === before.get(named.get(o.personName)!)
      ? 'named-cluster'
      : 'joined';
  const q = f.quality < 0.3 ? 'q<0.3' : f.quality < 0.5 ? 'q<0.5' : f.quality < 0.7 ? 'q<0.7' : 'q≥0.7';
  add(`${how} ${q}`, predicted === f.identity, conf);
  add(`${how} conf${Math.min(9, Math.floor(conf * 10))}`, predicted === f.identity, conf);
});
for (const [k, b] of [...bins].sort())
  console.log(k.padEnd(24), String(b.n).padStart(5), 'acc', (b.right / b.n).toFixed(3), 'conf', (b.conf / b.n).toFixed(3));
if (args.includes('--uncovered')) {
  const q = library.db.prepare(
    'SELECT f.person_id AS pid, p.name, f.quality, f.suggested_person_id AS sp, f.suggestion_confidence AS sc, f.clustered_at IS NOT NULL AS done FROM faces f LEFT JOIN people p ON p.id = f.person_id WHERE f.id = ?',
  );
  faces.forEach((f, i) => {
    if (!f.identity || named.get(f.identity) === faceIds[i]) return;
    const o = q.get(faceIds[i]) as { pid: number | null; name: string | null; sp: number | null };
    if (!o.name && !o.sp) console.log('UNCOVERED', f.identity, f.photo, JSON.stringify(o));
  });
}
