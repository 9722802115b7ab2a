/**
 * What the pure layers log through. VS Code's `LogOutputChannel` has this shape, so the host hands
 * its "Sonnet Chat" channel straight in (levels, timestamps and the user's chosen log level come with
 * it); tests and the bench pass `SILENT_LOG` or a recorder.
 *
 * What goes in: requests, retries, tool calls, approvals and failures with their stacks. What never
 * does: the API key; message contents only at trace level.
 */
export interface Logger {
  /** The level the user chose, as `vscode.LogLevel` numbers it (Trace is 1); absent, nothing is traced. */
  readonly logLevel?: number;
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(error: string | Error, ...args: unknown[]): void;
}

/** `vscode.LogLevel.Trace`: the level at which message contents are logged. */
const TRACE = 1;

/**
 * Whether trace lines would be written: checked before building one, since a trace line may copy a
 * request of megabytes.
 */
export function tracing(log: Logger): boolean {
  return log.logLevel === TRACE;
}

const ignore = (): void => undefined;

export const SILENT_LOG: Logger = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: ignore };

/** Milliseconds since `start`, for log lines. */
export function elapsedMs(start: number): number {
  return Math.round(performance.now() - start);
}

/** A thrown value as a log line: the stack where there is one. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
