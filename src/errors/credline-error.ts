/**
 * The one error type credline throws for anything a user can cause or fix. `code` is stable (scripts and tests
 * match on it); `exitCode` is what the CLI exits with. Messages never carry a secret.
 */
export const ExitCode = {
  ok: 0,
  /** A device, audit or verification failed, and that was reported or recorded. */
  failed: 1,
  /** Usage, profile, configuration or key error: nothing was done. */
  usage: 2,
  /** Transport or hardware error. */
  transport: 3,
  /** A bug in credline. */
  internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CredlineError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;

  constructor(code: string, message: string, options: { exitCode?: ExitCodeValue; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CredlineError';
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }
}

/** A usage/config error (exit 2). */
export function usageError(code: string, message: string, cause?: unknown): CredlineError {
  return new CredlineError(code, message, { exitCode: ExitCode.usage, cause });
}
