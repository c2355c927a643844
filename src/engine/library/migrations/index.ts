import type { Migration } from './migration';
import { migration001Core } from './001_core';
import { migration002People } from './002_people';
import { migration003Search } from './003_search';
import { migration004GridOrder } from './004_grid_order';
import { migration005RetryHevcHeic } from './005_retry_hevc_heic';
import { migration006Places } from './006_places';
import { migration007SuggestionValue } from './007_suggestion_value';
import { migration008PhotoText } from './008_photo_text';
import { migration009PlaceNames } from './009_place_names';
import { migration010PlaceNameIndex } from './010_place_name_index';
import { migration011Organizer } from './011_organizer';
import { migration012Jobs } from './012_jobs';
import { migration013TextScanAreas } from './013_text_scan_areas';
import { migration014TextScanFailures } from './014_text_scan_failures';
import { migration015FacesByPersonPhoto } from './015_faces_by_person_photo';
import { migration016FacesTakenAt } from './016_faces_taken_at';
import { migration017FaceCrops } from './017_face_crops';
import { migration018SuggestionKind } from './018_suggestion_kind';
import { migration019FaceResolution } from './019_face_resolution';
import { migration020PersonIdsNeverReused } from './020_person_ids_never_reused';

/** Every schema step, in order. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  migration001Core,
  migration002People,
  migration003Search,
  migration004GridOrder,
  migration005RetryHevcHeic,
  migration006Places,
  migration007SuggestionValue,
  migration008PhotoText,
  migration009PlaceNames,
  migration010PlaceNameIndex,
  migration011Organizer,
  migration012Jobs,
  migration013TextScanAreas,
  migration014TextScanFailures,
  migration015FacesByPersonPhoto,
  migration016FacesTakenAt,
  migration017FaceCrops,
  migration018SuggestionKind,
  migration019FaceResolution,
  migration020PersonIdsNeverReused,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
