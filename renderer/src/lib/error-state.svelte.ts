/**
 * Base of the managers whose actions report failure as a message the screen shows (rather than a
 * thrown error the page would lose): the engine's envelope errors arrive here as `error`.
 */
export class ErrorState {
  error = $state<string | null>(null);

  protected async guard(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}
