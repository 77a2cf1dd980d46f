/**
 * What a CLI run reads and writes, passed in rather than taken from `process` so that the
 * tests can run `main()` in-process (spawning tsx costs about a second per run) and see
 * exactly what a terminal or a script would.
 */
import type { Readable } from 'node:stream';

export interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: Readable & { isTTY?: boolean };
  /** Results (tables, JSON): what a script pipes on. */
  out(text: string): void;
  /** Messages, warnings and progress: for the person at the terminal. */
  err(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Terminal width for the progress bar. */
  columns: number;
  /** Binary output (an export without --out). */
  stdoutStream: NodeJS.WritableStream;
  /** Where SIGINT is heard (process in the bin, a stand-in in tests). */
  onInterrupt(handler: () => void): () => void;
}

export function processIo(argv = process.argv.slice(2)): Io {
  return {
    argv,
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns || 80,
    stdoutStream: process.stdout,
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
  };
}

/**
 * Exit codes, documented in docs/cli.md and `liuzhuan --help`. Scripts branch on them: 2 means
 * "fix the input", 3 "try again later / check the URL", 4 "log in".
 */
export const EXIT = {
  ok: 0,
  usage: 1,
  refused: 2,
  unreachable: 3,
  auth: 4,
  failed: 5,
} as const;

export interface ErrorDetail {
  pointer?: string;
  message: string;
}

/** A failure with its exit code; main() prints it (and, with --json, its JSON form) and exits. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** `result`: what the command got before failing, printed with the error under --json. */
    readonly extra: { status?: number; code?: string; details?: ErrorDetail[]; result?: Record<string, unknown> } = {},
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);

/** Human text, or with --json one JSON document on stdout. */
export function emit(io: Io, json: boolean, value: unknown, human: () => string): void {
  if (json) io.out(`${JSON.stringify(value, null, 2)}\n`);
  else {
    const text = human();
    if (text) io.out(text.endsWith('\n') ? text : `${text}\n`);
  }
}
