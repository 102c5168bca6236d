/**
 * Where a command writes and what it knows about its surroundings. Commands never touch `process` directly, so the
 * same code runs in the binary and in a test that captures the output.
 */

/** A sink for text (process.stdout, process.stderr, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
}

/** What a command may read and write besides its files. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Whether stderr is an interactive terminal (a progress bar redraws in place only then). */
  readonly stderrIsTty: boolean;
  /** Columns of the terminal, for the progress bar. */
  readonly columns: number;
  /** Directory that relative file names are resolved against. */
  readonly cwd: string;
  /** The environment (MONGODB_URI, PURNA_DATA_DIR...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Milliseconds from a monotonic clock, for elapsed time and ETA. */
  now(): number;
}

/**
 * The process's own streams and environment.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), processIo());
 */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTty: process.stderr.isTTY,
    columns: process.stderr.columns ?? 80,
    cwd: process.cwd(),
    env: process.env,
    now: () => performance.now(),
  };
}
