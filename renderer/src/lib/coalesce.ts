/**
 * Wraps a reload so that bursts collapse: calls made while one runs share a single follow-up run.
 * Twenty "people changed" events in a second then cost two reloads, not twenty.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  return () => {
    if (!current) {
      current = run().finally(() => (current = null));
      return current;
    }
    next ??= current.then(() => {
      next = null;
      current = run().finally(() => (current = null));
      return current;
    });
    return next;
  };
}
