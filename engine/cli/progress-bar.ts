// A progress bar on stderr for long replays: redrawn at most every 200 ms, cleared before any other line and at the end.

const WIDTH = 30;
const REDRAW_MS = 200;

export interface ProgressBar {
  update(bytesRead: number): void;
  /** Wipes the bar off its line (a terminal shows stdout and stderr together); the next update redraws it. */
  clear(): void;
  done(): void;
}

export function createProgressBar(stream: NodeJS.WriteStream, totalBytes: number | undefined): ProgressBar {
  let lastDraw = 0;
  let shown = false;
  const started = Date.now();
  const clear = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  return {
    update(bytesRead) {
      const now = Date.now();
      if (now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      const mb = (bytesRead / 1e6).toFixed(1);
      const rate = (bytesRead / 1e6 / Math.max((now - started) / 1000, 0.001)).toFixed(1);
      shown = true;
      if (totalBytes === undefined || totalBytes === 0) {
        stream.write(`\r${mb} MB read, ${rate} MB/s`);
        return;
      }
      const share = Math.min(bytesRead / totalBytes, 1);
      const filled = Math.round(share * WIDTH);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(share * 100).toFixed(0)}% ${mb}/${(totalBytes / 1e6).toFixed(1)} MB ${rate} MB/s`);
    },
    clear,
    done: clear,
  };
}
