import { z } from 'zod';

/**
 * Where inference runs: `auto` takes a GPU execution provider when one loads and falls back to the
 * CPU; `gpu` asks for one; `cpu` never tries. The one definition for the engine, the CLI's --device,
 * the app's Settings and the status report.
 */
export const deviceSchema = z.enum(['auto', 'gpu', 'cpu']);
export type Device = z.output<typeof deviceSchema>;
