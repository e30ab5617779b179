import cliProgress from 'cli-progress';

export type Progress = { start(total: number, label: string): void; update(done: number, note?: string): void; stop(): void };

/** A bar on a terminal; nothing when piped or with --json, so scripts read clean output. */
export function createProgress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: '{label} [{bar}] {value}/{total} {note}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    start(total, label) {
      if (running) bar.stop();
      bar.start(total, 0, { label, note: '' });
      running = true;
    },
    update(done, note = '') {
      if (running) bar.update(done, { note });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
