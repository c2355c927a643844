/**
 * Settings key: set when names or people change, so the next clustering run recomputes every
 * unassigned face's suggestion (a face unassigned yesterday may match the person named today).
 */
export const SUGGESTIONS_STALE_KEY = 'people.suggestionsStale';
