/**
 * A progress bar with elapsed time and ETA on stderr, so that stdout stays clean for results (`--json` piped to a
 * file). On a terminal it redraws one line in place; forced on elsewhere (`--progress` in CI logs) it prints a line
 * at most every few seconds instead.
 */
import type { CliIo } from './cli-io.js';

/** How often the bar may redraw, in milliseconds. */
const TTY_INTERVAL_MS = 100;
const LOG_INTERVAL_MS = 5000;

/** `93` -> "1m 33s", `4000` -> "1h 6m". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/**
 * Reports how much of a known total is done.
 *
 * @example
 * const bar = new ProgressBar(io, 'simulate', { tty: io.stderrIsTty });
 * bar.update(bytesRead, totalBytes, '10,000 orders');
 * bar.finish('1,000,000 orders');
 */
export class ProgressBar {
  readonly #io: CliIo;
  readonly #label: string;
  readonly #tty: boolean;
  readonly #started: number;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(io: CliIo, label: string, options: { tty: boolean }) {
    this.#io = io;
    this.#label = label;
    this.#tty = options.tty;
    this.#started = io.now();
  }

  /** Records progress; draws when enough time has passed since the last draw. */
  update(done: number, total: number, detail: string): void {
    const now = this.#io.now();
    if (now - this.#lastDraw < (this.#tty ? TTY_INTERVAL_MS : LOG_INTERVAL_MS)) return;
    this.#lastDraw = now;
    this.#draw(done, total, detail, now);
  }

  /** Draws the final state and ends the line. */
  finish(detail: string): void {
    const now = this.#io.now();
    const elapsed = formatDuration((now - this.#started) / 1000);
    const text = `${this.#label} done: ${detail} in ${elapsed}`;
    this.#io.stderr.write(this.#tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
    this.#drawn = false;
  }

  /** Clears the bar so that an error message starts on a clean line. */
  clear(): void {
    if (this.#tty && this.#drawn) this.#io.stderr.write('\r\x1b[2K');
    this.#drawn = false;
  }

  #draw(done: number, total: number, detail: string, now: number): void {
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const elapsedSeconds = (now - this.#started) / 1000;
    const eta = fraction > 0.001 ? formatDuration((elapsedSeconds / fraction) * (1 - fraction)) : '?';
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    const tail = ` ${percent} ${detail}  ${formatDuration(elapsedSeconds)} elapsed, ETA ${eta}`;
    if (!this.#tty) {
      this.#io.stderr.write(`${this.#label}${tail}\n`);
      return;
    }
    const width = Math.max(10, Math.min(40, this.#io.columns - this.#label.length - tail.length - 4));
    const filled = Math.round(fraction * width);
    const bar = `${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}`;
    this.#io.stderr.write(`\r\x1b[2K${this.#label} [${bar}]${tail}`);
    this.#drawn = true;
  }
}
