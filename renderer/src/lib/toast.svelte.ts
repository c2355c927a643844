/** A button a toast offers besides Close: Undo, "Get face models", "Open log", "Choose another folder". */
export interface ToastAction {
  label: string;
  run: () => Promise<void> | void;
}

/** One short message at the bottom of the window, optionally with Undo or another action. */
export interface Toast {
  message: string;
  undo?: () => Promise<void>;
  action?: ToastAction;
  /** The engine's own words (English, technical), offered on hover for whoever reports a bug. */
  detail?: string;
  error?: boolean;
}

/**
 * Messages go away after a few seconds; errors stay until the user closes them (or takes their
 * action), because an error that vanished before it was read cannot be acted on.
 */
class Toasts {
  current = $state<Toast | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;

  show(toast: Toast, ms = 6000): void {
    clearTimeout(this.timer);
    this.current = toast;
    if (!toast.error) this.timer = setTimeout(() => (this.current = null), ms);
  }

  dismiss(): void {
    clearTimeout(this.timer);
    this.current = null;
  }
}

export const toasts = new Toasts();
