import { jobsHandlers } from './jobs-handlers';
import { libraryHandlers } from './library-handlers';
import { modelsHandlers } from './models-handlers';
import { peopleHandlers } from './people-handlers';
import { placesHandlers } from './places-handlers';
import { searchHandlers } from './search-handlers';
import { textHandlers } from './text-handlers';
import { organizerHandlers } from './organizer-handlers';
import type { HandlerMap } from './dispatch';

/** Every domain's handlers, merged. A channel without a handler answers "unsupported". */
export const apiHandlers: Partial<HandlerMap> = {
  ...libraryHandlers,
  ...modelsHandlers,
  ...peopleHandlers,
  ...searchHandlers,
  ...placesHandlers,
  ...textHandlers,
  ...organizerHandlers,
  ...jobsHandlers,
};
