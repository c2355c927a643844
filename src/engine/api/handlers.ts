import { libraryHandlers } from '../library/api-handlers';
import { modelsHandlers } from '../models/api-handlers';
import { peopleHandlers } from '../people/api-handlers';
import { searchHandlers } from '../search/api-handlers';
import type { HandlerMap } from './dispatch';

/** Every domain's handlers, merged. A channel without a handler answers "unsupported". */
export const apiHandlers: Partial<HandlerMap> = {
  ...libraryHandlers,
  ...modelsHandlers,
  ...peopleHandlers,
  ...searchHandlers,
};
