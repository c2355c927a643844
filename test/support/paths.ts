import path from 'node:path';

/** The repository root and the checked-in fixtures, for tests at any depth under test/. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures');
