import type { WatcherProblem, WorkerStatus } from '../../../src/common/api/events';
import { call, on } from './api';

/** How many watcher problems stay on screen: the newest ones, one per message. */
const MAX_WATCHER_PROBLEMS = 3;

/**
 * What the app's main process reports about itself: the background worker's state (restarting, or
 * stopped after crashing too often) and folders the watcher cannot watch.
 */
class ShellNotices {
  worker = $state<WorkerStatus | null>(null);
  watcher = $state<WatcherProblem[]>([]);
  restarting = $state(false);

  connect(): () => void {
    // The e2e binding and the CLI have no worker: "unsupported" just means nothing to show.
    call('app.workerStatus', {}).then(
      (status) => (this.worker = status),
      () => {},
    );
    const offWorker = on('worker.status', (status) => (this.worker = status));
    const offWatcher = on('watcher.error', (problem) => {
      this.watcher = [...this.watcher.filter((p) => p.message !== problem.message), problem].slice(-MAX_WATCHER_PROBLEMS);
    });
    return () => {
      offWorker();
      offWatcher();
    };
  }

  async restartWorker(): Promise<void> {
    this.restarting = true;
    try {
      this.worker = await call('app.restartWorker', {});
    } catch {
      // the worker.status event says how it went
    } finally {
      this.restarting = false;
    }
  }

  dismissWatcher(problem: WatcherProblem): void {
    this.watcher = this.watcher.filter((p) => p !== problem);
  }
}

export const shellNotices = new ShellNotices();
