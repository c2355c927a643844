import { backfillClipJob, backfillFacesJob } from './backfill-jobs';
import { backfillFaceCropsJob } from './face-crop-job';
import { indexJob } from './index-job';
import type { JobKindHandler, JobKindHandlers } from './job-kind';
import { exportXmpJob, reclusterJob, resuggestJob, tagConceptJob } from './people-jobs';
import { backfillTextJob } from './text-job';

/** Every job kind's handler (one line each; a new kind adds its line and its name in common/api/jobs.ts). */
export const JOB_HANDLERS: JobKindHandlers = {
  index: indexJob as JobKindHandler<unknown>,
  'backfill-clip': backfillClipJob as JobKindHandler<unknown>,
  'backfill-faces': backfillFacesJob as JobKindHandler<unknown>,
  'backfill-face-crops': backfillFaceCropsJob as JobKindHandler<unknown>,
  'backfill-text': backfillTextJob as JobKindHandler<unknown>,
  recluster: reclusterJob as JobKindHandler<unknown>,
  resuggest: resuggestJob as JobKindHandler<unknown>,
  'tag-concept': tagConceptJob as JobKindHandler<unknown>,
  'export-xmp': exportXmpJob as JobKindHandler<unknown>,
};
