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
}

class Router {
  route = $state<Route>({ name: 'library' });
  viewer = $state<ViewerState | null>(null);

  go(route: Route): void {
    this.route = route;
  }

  openViewer(ids: number[], index: number): void {
    this.viewer = { ids, index };
  }

  closeViewer(): void {
    this.viewer = null;
  }
}

export const router = new Router();
