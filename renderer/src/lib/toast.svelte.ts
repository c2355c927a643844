/** One short message at the bottom of the window, optionally with an Undo button. */
export interface Toast {
  message: string;
  undo?: () => Promise<void>;
  error?: boolean;
}

class Toasts {
  current = $state<Toast | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;

  show(toast: Toast, ms = 6000): void {
    clearTimeout(this.timer);
    this.current = toast;
    this.timer = setTimeout(() => (this.current = null), ms);
  }

  dismiss(): void {
    clearTimeout(this.timer);
    this.current = null;
  }
}

export const toasts = new Toasts();
