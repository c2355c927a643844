/** Types for linux-sandbox.mjs (a plain script, so `npm start` needs no build step). */
export declare const PROFILE_NAME: string;
export interface SandboxSystem {
  /** Throws when the file is missing or unreadable. */
  readFile(file: string): string;
  /** null when the file is missing. */
  stat(file: string): { uid: number; mode: number } | null;
  env: Record<string, string | undefined>;
  sandboxHelper: string;
}
export declare function sandboxCanStart(system: SandboxSystem): { ok: true; why: string } | { ok: false };
