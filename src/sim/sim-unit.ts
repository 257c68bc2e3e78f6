/**
 * What every simulated unit (credline-agent firmware or a U-Boot-like console) looks like to the port runner: it
 * takes one received line and answers with zero or more actions. Pure: the runner owns time and I/O.
 */
import type { FaultKind } from './faults.js';

export type SimAction =
  /** Write these bytes (line endings included) after `delayMs`. */
  | { kind: 'write'; text: string; delayMs?: number }
  /** The unit is done (the operator sees the result and swaps it). */
  | { kind: 'swap' }
  /** The unit was pulled out mid-reply: nothing more from it. */
  | { kind: 'pulled' };

export interface SimIdentity {
  serial: string;
  mac: string;
  firmware: string;
  nonce: string;
}

export interface SimUnit {
  readonly identity: SimIdentity;
  readonly fault: FaultKind | undefined;
  /** Output when the unit powers up (a banner, a prompt), if any. */
  boot(): SimAction[];
  handle(line: string): SimAction[];
  /** What the unit holds now (for tests): the stored value and whether it was committed. */
  readonly state: { stored?: string; committed: boolean; locked: boolean };
}

export interface SimTiming {
  /** Added to every reply (device processing time). */
  latencyMs: number;
  /** How long COMMIT takes (flash write). */
  commitMs: number;
}
