/** The messages between the evidence writer (evidence-writer.ts) and its thread (evidence-writer-thread.ts). */
import { CredlineError, ExitCode, type ExitCodeValue } from '../../errors/credline-error.js';
import type { IntentInput, RefusalInput, RejectionInput, ResultInput } from '../types.js';

/** A request; the thread answers each with one reply, in the order they were sent (threads/request-thread.ts). */
export type WriterRequest =
  | { op: 'intent'; input: IntentInput }
  | { op: 'result'; intentSeq: number; input: ResultInput }
  | { op: 'rejection'; input: RejectionInput }
  | { op: 'refusal'; input: RefusalInput }
  | { op: 'close' };

export interface SerialisedError {
  name: string;
  message: string;
  code?: string;
  exitCode?: ExitCodeValue;
}

export type WriterReply = { ok: true; value: unknown } | { ok: false; error: SerialisedError };

/** An error as it can cross a thread boundary (a CredlineError keeps its code and exit code). */
export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof CredlineError) {
    return { name: error.name, message: error.message, code: error.code, exitCode: error.exitCode };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The error again on this side: a CredlineError stays one; anything else is an internal error of the store. */
export function reviveError(error: SerialisedError, file: string): Error {
  if (error.code !== undefined) {
    return new CredlineError(error.code, error.message, { exitCode: error.exitCode ?? ExitCode.internal });
  }
  if (error.name === 'TypeError') return new TypeError(error.message);
  return new CredlineError('EVIDENCE_WRITE', `${file}: evidence write failed: ${error.message}`, {
    exitCode: ExitCode.internal,
  });
}
