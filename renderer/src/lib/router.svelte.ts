/** The screens of the app; the person page carries its id, the viewer opens over any screen. */
export type Route =
  | { name: 'library' }
  | { name: 'people' }
  | { name: 'person'; id: number }
  | { name: 'search' }
  | { name: 'places' }
  | { name: 'duplicates' }
  | { name: 'indexing' }
  | { name: 'settings' };

export interface ViewerState {
  /** The photos the arrow keys walk through (the grid, the search results or the person's photos). */
  ids: number[];
  index: number;
  /** The face to mark when the viewer opens (an unassigned face opened from People). */
  faceId?: number;
}

/**
 * Where the user is, and where they came from: Back returns to the previous screen, and `returning`
 * tells that screen to restore its scroll position and order instead of starting fresh.
 */
class Router {
  route = $state<Route>({ name: 'library' });
  viewer = $state<ViewerState | null>(null);
  /** True while the screen being shown was reached with Back. */
  returning = $state(false);
  private history: Route[] = [];

  go(route: Route): void {
    this.history.push(this.route);
    if (this.history.length > 50) this.history.shift();
    this.returning = false;
    this.route = route;
  }

  /** The previous screen (or `fallback` when there is none), restored where the user left it. */
  back(fallback: Route = { name: 'library' }): void {
    const previous = this.history.pop() ?? fallback;
    this.returning = true;
    this.route = previous;
  }

  openViewer(ids: number[], index: number, faceId?: number): void {
    this.viewer = { ids, index, ...(faceId !== undefined ? { faceId } : {}) };
  }

  closeViewer(): void {
    this.viewer = null;
  }
}

export const router = new Router();
