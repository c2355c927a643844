import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type ModelEntry, modelEntrySchema } from './manifest-schema';

/** File in the library's models folder listing the models the user added (`facet models add`). */
export const USER_MODELS_FILE = 'user-models.json';

const userModelsSchema = z.object({ version: z.literal(1), models: z.array(modelEntrySchema) });

/** The user's added models; a damaged list is ignored (the models then show as not known), never fatal. */
export function readUserModels(libraryModelsDir: string): ModelEntry[] {
  const file = path.join(libraryModelsDir, USER_MODELS_FILE);
  if (!fs.existsSync(file)) return [];
  try {
    return userModelsSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).models;
  } catch {
    return [];
  }
}

/** Adds or replaces one entry; written to a temp file and renamed, so a crash never leaves half a list. */
export function saveUserModel(libraryModelsDir: string, entry: ModelEntry): void {
  const models = [...readUserModels(libraryModelsDir).filter((m) => m.id !== entry.id), entry];
  const file = path.join(libraryModelsDir, USER_MODELS_FILE);
  fs.mkdirSync(libraryModelsDir, { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ version: 1, models }, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}
