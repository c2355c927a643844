import { type DescribedError, type ErrorContext, describeError } from './errors.svelte';

/**
 * Base of the managers whose actions report failure as a message the screen shows (rather than a
 * thrown error the page would lose): the engine's envelope errors arrive here, translated, with the
 * action that fixes them (`failure`), and `error` is the sentence to show.
 */
export class ErrorState {
  error = $state<string | null>(null);
  failure = $state.raw<DescribedError | null>(null);
  /** Which sentence fits this manager's errors (folders: "this folder cannot be used"). */
  protected errorContext: ErrorContext | undefined = undefined;

  protected async guard(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      this.clearError();
    } catch (error) {
      this.fail(error);
    }
  }

  protected fail(error: unknown): void {
    this.failure = describeError(error, this.errorContext);
    this.error = this.failure.message;
  }

  clearError(): void {
    this.error = null;
    this.failure = null;
  }
}
