import type { IndexProgress } from '../common/api/library';

/** A one-line progress bar on a terminal (stderr), silent when output is piped. */
export function progressBar(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }): {
  update(p: IndexProgress): void;
  done(): void;
} {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.done < p.total) return;
      last = now;
      const width = 30;
      const filled = p.total > 0 ? Math.round((p.done / p.total) * width) : 0;
      const eta = p.etaSeconds === null ? '' : ` ETA ${formatSeconds(p.etaSeconds)}`;
      const rate = p.photosPerSecond > 0 ? ` ${p.photosPerSecond.toFixed(1)} photos/s` : '';
      const label =
        p.phase === 'indexing'
          ? `${p.done}/${p.total}${rate}${eta}`
          : p.phase === 'text'
            ? `reading text in photos ${p.done}/${p.total}`
            : p.phase;
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${label}\u001b[K`);
    },
    done() {
      stream.write('\r\u001b[K');
    },
  };
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
    : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
