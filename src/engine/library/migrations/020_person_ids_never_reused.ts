import type { Migration } from './migration';

/**
 * A person's id is never handed to another person. SQLite gives a new row the largest id + 1, so once the
 * newest person was merged away, the next person clustering made took its id; undoing the merge then
 * wrote the old person's row over the new one (`restorePeople` updates a person that exists), and a page
 * the app still showed for the old id showed a stranger. The highest id ever used is kept here (a trigger
 * follows every insert); new people are numbered from it (people-store.ts `createPerson`). Not
 * AUTOINCREMENT: that needs the table rebuilt, and dropping `people` with foreign keys on would clear every
 * face's person.
 */
export const migration020PersonIdsNeverReused: Migration = {
  version: 20,
  name: 'person-ids-never-reused',
  up: (db) => {
    db.exec(`
      CREATE TABLE person_id_high_water (id INTEGER NOT NULL);
      INSERT INTO person_id_high_water (id) SELECT COALESCE(MAX(id), 0) FROM people;
      CREATE TRIGGER person_id_high_water AFTER INSERT ON people
      BEGIN
        UPDATE person_id_high_water SET id = MAX(id, NEW.id);
      END;
    `);
  },
};
