import { CredlineError, ExitCode } from '../errors/credline-error.js';

/** Why a transport operation ended: no data in time, or the port went away (USB unplug, pty closed). */
export type TransportFailure = 'timeout' | 'disconnected' | 'aborted';

/** A transport error; `kind` is the flag callers branch on (node-serialport style), `code` is stable. */
export class TransportError extends CredlineError {
  constructor(
    readonly kind: TransportFailure,
    message: string,
    cause?: unknown,
  ) {
    super(`TRANSPORT_${kind.toUpperCase()}`, message, { exitCode: ExitCode.transport, cause });
  }
}
