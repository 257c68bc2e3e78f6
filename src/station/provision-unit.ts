/**
 * One unit, from its identity to its verdict: check the identity against the profile (nothing is written to a unit
 * whose serial is refused), refuse an already-provisioned serial unless re-provisioning, choose the password
 * (policy), record the intent, run the write/verify/commit/lock dialogue, record the result, print the label, and
 * tell the unit. Bad units never become PASS: PASS needs a matching read-back and every later step to succeed.
 */
import { canonicaliseSerial, SCHEME_VERSION, type PasswordDeriver } from '../derive/index.js';
import { CredlineError, ExitCode } from '../errors/credline-error.js';
import type { EvidenceWriter } from '../evidence/index.js';
import { choosePassword, type ChosenPassword, type DeviceIdentity } from '../policy/index.js';
import { quoteForConsole, computeStoredValue } from '../profiles/index.js';
import { runProvisioningDialogue, printable, type DialogueContext } from '../protocol/index.js';
import { recordRejections } from './record-rejections.js';
import { admitUnit, RESERVE_FAILED, underSlot, type Slot } from './order-slot.js';
import type { DeviceEvent, StationConfig } from './station-types.js';

export interface UnitContext {
  config: StationConfig;
  derive: PasswordDeriver;
  fingerprint: (password: string) => string;
  dialogue: DialogueContext;
  port: string;
  evidence: EvidenceWriter;
  /** Serials being provisioned right now, by port: two ports never work on one serial at once. */
  inHand: Map<string, string>;
}

export type Verdict = Omit<DeviceEvent, 'type' | 'port' | 'elapsedMs' | 'deviceWaitMs'> & {
  /** Set when the line must stop after this unit is reported (the label output failed, the key's token is gone). */
  stopLine?: CredlineError;
  /** Set on a verdict reached before anything was written to the unit (it is recorded as a refusal). */
  refused?: true;
};

/**
 * Provisions one identified unit; `captures` are the identify phase's named captures. A unit refused before
 * anything is written to it is recorded too (EvidenceStore.recordRefusal), so the evidence counts every unit.
 */
export async function provisionUnit(unit: UnitContext, captures: Record<string, string>): Promise<Verdict> {
  const { refused, ...verdict } = await provisionOrRefuse(unit, captures);
  if (!refused || !verdict.serial) return verdict; // a unit with no serial read leaves nothing to tie a record to
  const { config } = unit;
  const recorded = await unit.evidence.recordRefusal({
    batchId: config.batchId,
    serial: verdict.serial,
    keyId: config.keyId,
    schemeVersion: SCHEME_VERSION,
    reasonCode: verdict.reason ?? 'refused',
    ...(verdict.detail ? { reasonText: verdict.detail } : {}),
    port: unit.port,
    stationId: config.stationId,
    ...(config.operator === undefined ? {} : { operator: config.operator }),
  });
  return { ...verdict, evidenceSeq: recorded.seq };
}

async function provisionOrRefuse(unit: UnitContext, captures: Record<string, string>): Promise<Verdict> {
  const { config } = unit;
  const { profile } = config.profile;
  const rawSerial = captures['serial'] ?? '';
  const blank = rawSerial.trim() === '' && profile.dialogue.assignSerial !== undefined;
  const refused = checkIdentity(profile.identity, captures, blank);
  if (refused) return refused;
  if (blank) return provisionBlank(unit, captures);
  let serial: string;
  try {
    serial = canonicaliseSerial(rawSerial, profile.canonicalisation.serialCase);
  } catch (error) {
    return {
      refused: true,
      result: 'FAIL',
      serial: printable(rawSerial, 80),
      reason: 'serial-invalid',
      detail: (error as Error).message,
    };
  }
  const identity: DeviceIdentity = { serial, ...(captures['mac'] ? { mac: captures['mac'] } : {}) };
  const elsewhere = unit.inHand.get(serial);
  if (elsewhere !== undefined) {
    return {
      refused: true,
      result: 'FAIL',
      serial,
      reason: 'duplicate-serial',
      detail: `serial ${serial} is being provisioned on ${elsewhere} right now: two units report the same serial`,
    };
  }
  unit.inHand.set(serial, unit.port);
  try {
    return await provisionIdentified(unit, captures, identity, undefined);
  } finally {
    unit.inHand.delete(serial);
  }
}

/**
 * A unit that arrived without a serial, under a profile that can assign one: under a work order it gets the next
 * unused serial of the order (written to it before the password); without one it FAILs before anything is written.
 */
async function provisionBlank(unit: UnitContext, captures: Record<string, string>): Promise<Verdict> {
  const gate = unit.config.order;
  if (!gate) {
    return {
      result: 'FAIL',
      serial: null,
      reason: SERIAL_BLANK,
      detail:
        'the unit has no serial; the station assigns serials to blank units only under a work order (--order)',
    };
  }
  const admission = await admitUnit(gate, null, unit.port);
  if (!admission.admitted) {
    return {
      result: 'FAIL',
      serial: null,
      reason: admission.reason,
      detail: admission.text,
      ...(admission.stopLine ? { stopLine: admission.stopLine } : {}),
    };
  }
  const { serial } = admission;
  const identity: DeviceIdentity = { serial, ...(captures['mac'] ? { mac: captures['mac'] } : {}) };
  unit.inHand.set(serial, unit.port);
  try {
    return await underSlot(gate, serial, unit.port, (slot) =>
      provisionIdentified(unit, captures, identity, slot, true),
    );
  } finally {
    unit.inHand.delete(serial);
  }
}

async function provisionIdentified(
  unit: UnitContext,
  captures: Record<string, string>,
  identity: DeviceIdentity,
  slot: Slot | undefined,
  assigned = false,
): Promise<Verdict> {
  const { config } = unit;
  const { profile } = config.profile;
  const { serial } = identity;
  const earlier = config.store.findPassInProduct(serial, profile.id);
  const reprovisionReason =
    earlier && config.reprovision?.serials.has(serial) ? config.reprovision.reason : undefined;
  const reprovision = reprovisionReason !== undefined;
  if (earlier && !reprovision) {
    // An order serial that already passed in the product is never handed to a blank unit again.
    if (slot) slot.written = true;
    return {
      refused: true,
      result: 'FAIL',
      serial,
      reason: 'already-provisioned',
      detail:
        `already PASS in product ${profile.id} under key ${earlier.keyId} (batch ${earlier.batchId}, evidence seq ${earlier.seq}). ` +
        `The same unit back for rework: run it again with --reprovision ${serial} --reason TEXT. Another unit ` +
        'reporting this serial: set it aside (never re-provision it: two units would share a password)',
    };
  }
  const gate = config.order;
  if (gate && !slot) {
    const admission = await admitUnit(gate, serial, unit.port);
    if (!admission.admitted) {
      return {
        refused: true,
        result: 'FAIL',
        serial,
        reason: admission.reason,
        detail: admission.text,
        ...(admission.stopLine ? { stopLine: admission.stopLine } : {}),
      };
    }
    return underSlot(gate, serial, unit.port, (held) =>
      provisionIdentified(unit, captures, identity, held, assigned),
    );
  }
  const base = {
    evidence: unit.evidence,
    batchId: config.batchId,
    keyId: config.keyId,
    port: unit.port,
    stationId: config.stationId,
    ...(config.operator === undefined ? {} : { operator: config.operator }),
  };
  let chosen: ChosenPassword;
  try {
    chosen = choosePassword(unit.derive, config.policy, identity);
  } catch (error) {
    // The token holding the line key stopped answering: nothing was written to this unit, and the line stops.
    if (!(error instanceof CredlineError) || error.exitCode !== ExitCode.transport) throw error;
    return {
      refused: true,
      result: 'FAIL',
      serial,
      reason: TOKEN_LOST,
      detail: error.message,
      stopLine: error,
    };
  }
  const rejectionsRecorded = recordRejections(chosen, base);
  const { password, attempt, verdict } = chosen;
  if (password === null || verdict === null) {
    await rejectionsRecorded;
    return {
      refused: true,
      result: 'FAIL',
      serial,
      reason: 'policy-exhausted',
      detail: 'every derivation attempt was rejected by the password policy',
    };
  }
  // The stored text (a verifier or crypt string, ms to tens of ms) is computed while the intent commits.
  const storedValue = computeStoredValue(profile.store, password);

  let intentSeq: number;
  let stored: string;
  const fingerprint = unit.fingerprint(password);
  if (config.reserve) {
    let reservation: Awaited<ReturnType<NonNullable<typeof config.reserve>>>;
    try {
      reservation = await config.reserve({
        serial,
        fingerprint,
        keyId: config.keyId,
        profileId: profile.id,
        batchId: config.batchId,
        port: unit.port,
      });
    } catch (error) {
      if (!(error instanceof CredlineError)) throw error;
      await rejectionsRecorded;
      return {
        refused: true,
        result: 'FAIL',
        serial,
        reason: RESERVE_FAILED,
        detail: error.message,
        stopLine: error,
      };
    }
    if (!reservation.granted) {
      await rejectionsRecorded;
      return { refused: true, result: 'FAIL', serial, reason: reservation.reason, detail: reservation.text };
    }
  }
  try {
    const { evidence, ...facts } = base;
    const intent = evidence.recordIntent({
      ...facts,
      serial,
      schemeVersion: SCHEME_VERSION,
      attempt,
      fingerprint,
      zxcvbnScore: verdict.zxcvbnScore,
      zxcvbnLog10Guesses: verdict.log10Guesses,
      entropyBits: verdict.entropyBits,
      ...(reprovision ? { reprovisionReason } : {}),
    });
    [intentSeq, stored] = await Promise.all([intent, storedValue, rejectionsRecorded]);
  } catch (error) {
    if (error instanceof CredlineError && error.code === 'ALREADY_PROVISIONED') {
      return { refused: true, result: 'FAIL', serial, reason: 'already-provisioned', detail: error.message };
    }
    throw error; // FINGERPRINT_COLLISION and store failures stop the line
  }

  const quoted = quoteForConsole(stored, profile.console);
  const values = { ...unit.dialogue.values, serial, nonce: captures['nonce'] ?? '', password };
  const ctx: DialogueContext = { ...unit.dialogue, values, secrets: [...unit.dialogue.secrets, password] };
  if (slot) slot.written = true;
  const outcome = await runProvisioningDialogue(ctx, profile, stored, quoted, captures, {
    assignSerial: assigned,
  });
  const aborted = !outcome.ok && outcome.reason === 'aborted';
  // The label comes before the PASS is recorded: a unit whose password reached no label must not be a PASS.
  const labelFailure = outcome.ok ? await printLabel(config, serial, password) : undefined;
  let recorded;
  try {
    recorded = await unit.evidence.recordResult(intentSeq, {
      result: outcome.ok && !labelFailure ? 'PASS' : aborted ? 'ABORTED' : 'FAIL',
      readbackVerified: outcome.ok,
      ...(labelFailure
        ? { reasonCode: LABEL_FAILED, reasonText: `label: ${labelFailure.message}` }
        : outcome.ok
          ? {}
          : { reasonCode: outcome.reason, reasonText: `${outcome.phase}: ${outcome.detail}` }),
    });
  } catch (error) {
    if (error instanceof CredlineError && error.code === 'EVIDENCE_INTENT_CLOSED') {
      // Another station sharing this file started the same serial meanwhile and closed our intent.
      return {
        result: 'FAIL',
        serial,
        attempt,
        reason: 'duplicate-serial',
        detail: error.message,
        ...(assigned ? { assigned } : {}),
      };
    }
    throw error;
  }
  const result = recorded.result ?? 'FAIL';
  return {
    result,
    serial,
    attempt,
    fingerprint,
    evidenceSeq: recorded.seq,
    ...(reprovision ? { reprovisioned: true } : {}),
    ...(assigned ? { assigned } : {}),
    ...(result === 'PASS'
      ? {}
      : { reason: recorded.reasonCode ?? 'failed', detail: recorded.reasonText ?? '' }),
    ...(labelFailure ? { stopLine: labelFailure } : {}),
  };
}

/** The reason code of a unit whose password could not be derived because the line key's token stopped answering. */
const TOKEN_LOST = 'token-lost';

/** The reason code of a unit whose label could not be written (the line then stops: every label would fail). */
const LABEL_FAILED = 'label-failed';

/** Writes the unit's label (resolving once it is out); the error when the label output failed. */
async function printLabel(
  config: StationConfig,
  serial: string,
  password: string,
): Promise<CredlineError | undefined> {
  try {
    await config.labels?.write({ serial, password });
    return undefined;
  } catch (error) {
    if (error instanceof CredlineError) return error;
    throw error;
  }
}

/** The reason code of a unit that arrived without a serial when the station may not assign one (no work order). */
const SERIAL_BLANK = 'serial-blank';

/** Checks what the unit reported against the profile's patterns (the serial too, unless it arrived blank). */
function checkIdentity(
  spec: StationConfig['profile']['profile']['identity'],
  captures: Record<string, string>,
  blank: boolean,
): Verdict | undefined {
  for (const key of blank ? (['mac', 'firmware'] as const) : (['serial', 'mac', 'firmware'] as const)) {
    const field = spec[key];
    if (!field) continue;
    const value = captures[key] ?? '';
    const shown = printable(value, 80);
    if (/[\p{Cc}\p{Cf}]/u.test(value)) {
      return {
        refused: true,
        result: 'FAIL',
        serial: key === 'serial' ? shown : printable(captures['serial'] ?? '', 80),
        reason: `${key === 'serial' ? 'serial' : 'identity'}-invalid`,
        detail: `${key} ${JSON.stringify(shown)} holds a control character`,
      };
    }
    if (!new RegExp(`^(?:${field.pattern})$`).test(value)) {
      return {
        refused: true,
        result: 'FAIL',
        serial: printable(captures['serial'] ?? '', 80),
        reason: key === 'serial' ? 'serial-invalid' : 'identity-invalid',
        detail: `${key} ${JSON.stringify(shown)} does not match the profile's /${field.pattern}/`,
      };
    }
  }
  return undefined;
}
