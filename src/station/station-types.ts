/** The station's configuration and the events it reports (printed by the CLI as PASS/FAIL lines or JSON lines). */
import type { LineKey } from '../derive/index.js';
import type { EvidenceStore, EvidenceWriter } from '../evidence/index.js';
import type { PasswordPolicy } from '../policy/index.js';
import type { LoadedProfile, SerialPortSettings } from '../profiles/index.js';
import { type TraceEntry } from '../protocol/index.js';
import { type LineTransport } from '../transport/index.js';
import type { LabelWriter } from './label-writer.js';

export interface StationConfig {
  profile: LoadedProfile;
  /**
   * The line key: its unsealed 32 bytes (held in memory only), or a LineKey whose HMACs are computed where the key
   * lives (a PKCS#11 token: src/keys LineKeyHandle.key).
   */
  lineKey: Uint8Array | LineKey;
  keyId: string;
  /** The store: read for earlier PASSes; its file gets a writer thread for the station's writes. */
  store: EvidenceStore;
  /** The writer for intents, results and rejections (the seam for benches); default a new one on `store.file`. */
  evidence?: EvidenceWriter;
  batchId: string;
  stationId: string;
  operator?: string;
  ports: string[];
  /** Total devices across all ports; without it the station runs until stopped. */
  count?: number;
  /**
   * The units (canonical serials) that may be re-provisioned although they already passed, and why (recorded with
   * each re-provisioned unit). Every other unit that already passed is refused as `already-provisioned`.
   */
  reprovision?: { reason: string; serials: ReadonlySet<string> };
  labels?: LabelWriter;
  /**
   * A work order bounding the run: each unit is admitted (its serial reserved, or one assigned to a unit that arrived
   * blank) before anything is written to it, and settled after its result.
   */
  order?: OrderGate;
  /**
   * Reserves a unit elsewhere (the central store's reserve mode) after its password is chosen and before anything is
   * written to it or recorded: a refusal FAILs the unit untouched; a thrown CredlineError stops the line.
   */
  reserve?: UnitReserver;
  policy: PasswordPolicy;
  trace?: (entry: TraceEntry) => void;
  /** Told of every event, with the tally after it. */
  onEvent: (event: StationEvent, tally: Readonly<StationTally>) => void;
  /** Milliseconds on a monotonic clock (tests pin it); default `performance.now`. */
  clockMs?: () => number;
  /** Opens a port (the seam for tests and benches); default node-serialport. */
  openTransport?: (path: string, settings: SerialPortSettings) => Promise<LineTransport>;
  /** How long to wait before trying to re-open a port that vanished or failed to open (default 1000 ms). */
  reopenMs?: number;
}

export type UnitReserver = (unit: {
  serial: string;
  fingerprint: string;
  keyId: string;
  profileId: string;
  batchId: string;
  port: string;
}) => Promise<{ granted: true } | { granted: false; reason: string; text: string }>;

/** The station's side of a work order's ledger (src/orders OrderLedger, wired by the provisioning run). */
export interface OrderGate {
  /**
   * Reserves `serial` (canonical), or for a blank unit (null) the next unused serial of the order, atomically; a
   * refusal (outside the order, exhausted, serial used) is recorded in the ledger.
   */
  admit(serial: string | null, port: string): Promise<OrderAdmission>;
  /**
   * Ends a reservation: PASS, or FAIL with or without anything written to the unit (released or spent). Throws a
   * CredlineError with the hardware exit code when the slot could not be settled where it is held (the line stops).
   */
  settle(serial: string, outcome: 'pass' | 'fail', written: boolean, port: string): Promise<void>;
}

export type OrderAdmission =
  { admitted: true; serial: string } | { admitted: false; reason: string; text: string };

/**
 * An order's slots held where every station on the same store shares them (the central store's reserve mode):
 * claimed before anything is written to a unit, settled with its verdict. Thrown CredlineErrors name the store.
 */
export interface SharedOrderSlots {
  /** Claims a slot for `serial`, or for a blank unit (null) the next free serial; a refusal is recorded there. */
  claim(
    serial: string | null,
    port: string,
  ): Promise<
    | {
        admitted: true;
        serial: string;
        settle(outcome: 'pass' | 'released' | 'spent', reason?: string): Promise<void>;
      }
    | { admitted: false; reason: string; text: string }
  >;
  /** Claims this station left unsettled when it last stopped, each settled PASS when `passed(serial)`, else spent. */
  recover(passed: (serial: string) => boolean): Promise<number>;
  /** The order across every station, and this station's PASS units. */
  figures(): Promise<{
    quantity: number;
    pass: number;
    fail: number;
    spent: number;
    refused: number;
    reserved: number;
    remaining: number;
    stations: string[];
    stationPass: number;
  }>;
  /** Where the slots are held, for messages (never a password). */
  where: string;
}

export type DeviceResult = 'PASS' | 'FAIL' | 'ABORTED';

export interface DeviceEvent {
  type: 'device';
  result: DeviceResult;
  /** The canonical serial, or the raw value (printable form) when it was refused, or null when none was read. */
  serial: string | null;
  port: string;
  /** Stable reason code for FAIL/ABORTED (e.g. `timeout`, `nak`, `readback-mismatch`, `commit-failed`). */
  reason?: string;
  detail?: string;
  /** For FAIL/ABORTED: what the operator does with the unit (reason-advice.ts). */
  advice?: string;
  attempt?: number;
  /** The fingerprint of the password chosen for the unit (never the password), when one was chosen. */
  fingerprint?: string;
  /** As the unit reported them, when the profile reads them. */
  mac?: string;
  firmware?: string;
  /** Evidence seq of the result row, when one was written. */
  evidenceSeq?: number;
  reprovisioned?: boolean;
  /** The unit arrived blank and the station assigned it `serial` (from the work order). */
  assigned?: true;
  /** The run's line key is a test key (allowed by --allow-test-key): this unit must never ship. */
  testKey?: true;
  /** Time from the unit being identified to its result. */
  elapsedMs: number;
  /** Of which: time spent waiting on the device (replies, timeouts). */
  deviceWaitMs: number;
}

export interface PortEvent {
  type: 'port';
  port: string;
  state: 'open' | 'lost' | 'unavailable' | 'back';
  detail?: string;
}

/**
 * A unit this station had in hand when it last stopped (found at start-up and recorded as ABORTED): it may hold a
 * password without a label.
 */
export interface InterruptedEvent {
  type: 'interrupted';
  serial: string;
  port: string | null;
  /** The intent that was left open, and when its unit was started. */
  intentSeq: number;
  startedAt: string;
  /** What the operator should do with the unit. */
  advice: string;
}

export type StationEvent = DeviceEvent | PortEvent | InterruptedEvent;

/** The station's running count of verdicts (src/station/tally.ts). */
export interface StationTally {
  pass: number;
  fail: number;
  aborted: number;
  /** Since the station started. */
  elapsedMs: number;
  /**
   * Devices completed per minute of the run; within the run's first minute, the devices completed so far (a rate is
   * never extrapolated from a few seconds: one quick FAIL is 1 device/min, not thousands).
   */
  devicesPerMin: number;
}

export interface StationSummary extends StationTally {
  /** True when stopped by the operator (or --count reached). */
  stoppedEarly: boolean;
}
