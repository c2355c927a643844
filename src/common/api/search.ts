import { z } from 'zod';
import { channel } from './channel';

/** Channels of the search domain (filled in by its owner). */
export const searchChannels = {} as const;
void z;
void channel;
