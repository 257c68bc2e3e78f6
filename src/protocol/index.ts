/**
 * The protocol: a device profile's dialogue run over a line transport (send, expect, capture, verify), with
 * secrets redacted from traces. Everything outside src/protocol enters here.
 *
 * @example
 * import { runIdentify, runProvisioningDialogue } from '../protocol/index.js';
 */
export { runIdentify, runProvisioningDialogue, sendReport, UNIT_CHANGED } from './dialogue.js';
export type { PhaseResult } from './dialogue.js';
export { printable, redactSecrets } from './redact.js';
export type { DialogueContext, StepResult, TraceEntry } from './run-step.js';
