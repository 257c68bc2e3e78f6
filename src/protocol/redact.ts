/**
 * Trace redaction: a serial trace never carries a password or verifier. Every occurrence of a secret in a line
 * (sent, echoed or read back) is replaced by `[redacted]`.
 *
 * @example redactSecrets("env set pw 'wNADKmUL9yu5'", ['wNADKmUL9yu5']) // "env set pw '[redacted]'"
 */
export function redactSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('[redacted]');
  }
  return out;
}

/** Printable form of a received line for traces and FAIL details (one rule for every outside text). */
export { printable } from '../errors/printable.js';
