import { z } from 'zod';
import { channel } from './channel';

/** Channels of the people domain (filled in by its owner). */
export const peopleChannels = {} as const;
void z;
void channel;
