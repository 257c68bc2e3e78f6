/** What a split export (export-split.ts) and its worker threads (export-part-thread.ts) send each other. */
import { CredlineError, type ExitCodeValue } from '../../errors/credline-error.js';
import type { ChainFilter } from '../chain/record-types.js';
import type { ChainHead } from '../types.js';

/** A worker's `workerData`. */
export interface PartWorkerData {
  /** The evidence store (the worker opens its own read-only connection). */
  file: string;
  /** The head of the main thread's snapshot: the worker's snapshot must still have this row. */
  head: ChainHead;
}

/**
 * A request: a piece to format (the export's filter with a seq range at or below the head), with the chunks of this
 * worker's earlier pieces that have been written, sent back for their memory to be used again.
 */
export interface PartTask {
  index: number;
  filter: ChainFilter;
  /** Begin with the CSV header record (the first piece). */
  header: boolean;
  recycle: Uint8Array[];
}

/**
 * The reply: the piece formatted (its UTF-8 bytes in order, their memory transferred, not copied), or why it could
 * not be (the worker's snapshot does not hold the main thread's head, or a read failed).
 */
export type PartReply =
  | { kind: 'piece'; index: number; records: number; chunks: Uint8Array[] }
  | { kind: 'failed'; error: PartError };

/** An error as it crosses the thread boundary: a CredlineError keeps its code and exit code, a system error its errno code. */
export interface PartError {
  message: string;
  code?: string;
  exitCode?: ExitCodeValue;
}

export function toPartError(error: unknown): PartError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  return {
    message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error instanceof CredlineError ? { exitCode: error.exitCode } : {}),
  };
}

/** The error again on the main thread: a CredlineError stays one; anything else is an Error with its `code`. */
export function fromPartError(error: PartError): Error {
  if (error.exitCode !== undefined) {
    return new CredlineError(error.code ?? 'EVIDENCE_EXPORT', error.message, { exitCode: error.exitCode });
  }
  return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
}
