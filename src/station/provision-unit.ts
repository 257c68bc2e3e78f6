/**
 * One unit, from its identity to its verdict: check the identity against the profile (nothing is written to a unit
 * whose serial is refused), refuse an already-provisioned serial unless re-provisioning, choose the password
 * (policy), record the intent, run the write/verify/commit/lock dialogue, record the result, print the label, and
 * tell the unit. Bad units never become PASS: PASS needs a matching read-back and every later step to succeed.
 */
import { randomBytes } from 'node:crypto';
import { canonicaliseSerial } from '../derive/serial.js';
import { SCHEME_VERSION, type PasswordDeriver } from '../derive/password.js';
import { CredlineError } from '../errors/credline-error.js';
import type { DeviceIdentity } from '../policy/index.js';
import { quoteForConsole } from '../profiles/console-safety.js';
import { computeVerifier } from '../profiles/verifier.js';
import { runProvisioningDialogue } from '../protocol/dialogue.js';
import { printable } from '../protocol/redact.js';
import type { DialogueContext } from '../protocol/run-step.js';
import { choosePasswordRecorded } from './record-rejections.js';
import type { DeviceEvent, StationConfig } from './station-types.js';

export interface UnitContext {
  config: StationConfig;
  derive: PasswordDeriver;
  fingerprint: (password: string) => string;
  dialogue: DialogueContext;
  port: string;
}

type Verdict = Omit<DeviceEvent, 'type' | 'port' | 'elapsedMs' | 'deviceWaitMs'>;

/** Provisions one identified unit; `captures` are the identify phase's named captures. */
export async function provisionUnit(unit: UnitContext, captures: Record<string, string>): Promise<Verdict> {
  const { config } = unit;
  const { profile } = config.profile;
  const rawSerial = captures['serial'] ?? '';
  const refused = checkIdentity(profile.identity, captures);
  if (refused) return refused;
  let serial: string;
  try {
    serial = canonicaliseSerial(rawSerial, profile.canonicalisation.serialCase);
  } catch (error) {
    return {
      result: 'FAIL',
      serial: printable(rawSerial, 80),
      reason: 'serial-invalid',
      detail: (error as Error).message,
    };
  }
  const identity: DeviceIdentity = { serial, ...(captures['mac'] ? { mac: captures['mac'] } : {}) };
  const reprovision = config.reprovisionReason !== undefined;
  const earlier = config.store.findPass(serial, config.keyId);
  if (earlier && !reprovision) {
    return {
      result: 'FAIL',
      serial,
      reason: 'already-provisioned',
      detail: `already PASS under key ${config.keyId} (evidence seq ${earlier.seq}); use --reprovision --reason TEXT for rework`,
    };
  }
  const base = {
    store: config.store,
    batchId: config.batchId,
    keyId: config.keyId,
    port: unit.port,
    stationId: config.stationId,
    ...(config.operator === undefined ? {} : { operator: config.operator }),
  };
  const chosen = choosePasswordRecorded(unit.derive, config.policy, identity, base);
  const { password, attempt, verdict } = chosen;
  if (password === null || verdict === null) {
    return {
      result: 'FAIL',
      serial,
      reason: 'policy-exhausted',
      detail: 'every derivation attempt was rejected by the password policy',
    };
  }
  const store = profile.store;
  const stored =
    store.kind === 'plaintext'
      ? password
      : await computeVerifier(password, randomBytes(store.saltBytes), store.iterations);
  const quoted = quoteForConsole(stored, profile.console);

  let intentSeq: number;
  try {
    intentSeq = config.store.recordIntent({
      ...base,
      serial,
      schemeVersion: SCHEME_VERSION,
      attempt,
      fingerprint: unit.fingerprint(password),
      zxcvbnScore: verdict.zxcvbnScore,
      zxcvbnLog10Guesses: verdict.log10Guesses,
      entropyBits: verdict.entropyBits,
      ...(reprovision ? { reprovisionReason: config.reprovisionReason } : {}),
    });
  } catch (error) {
    if (error instanceof CredlineError && error.code === 'ALREADY_PROVISIONED') {
      return { result: 'FAIL', serial, reason: 'already-provisioned', detail: error.message };
    }
    throw error; // FINGERPRINT_COLLISION and store failures stop the line
  }

  const values = { ...unit.dialogue.values, serial, nonce: captures['nonce'] ?? '' };
  const ctx: DialogueContext = { ...unit.dialogue, values, secrets: [...unit.dialogue.secrets, password] };
  const outcome = await runProvisioningDialogue(ctx, profile, stored, quoted);
  const aborted = !outcome.ok && outcome.reason === 'aborted';
  const recorded = config.store.recordResult(intentSeq, {
    result: outcome.ok ? 'PASS' : aborted ? 'ABORTED' : 'FAIL',
    readbackVerified: outcome.ok,
    ...(outcome.ok ? {} : { reasonCode: outcome.reason, reasonText: `${outcome.phase}: ${outcome.detail}` }),
  });
  const result = recorded.result ?? 'FAIL';
  if (result === 'PASS') config.labels?.write({ serial, password });
  return {
    result,
    serial,
    attempt,
    evidenceSeq: recorded.seq,
    ...(reprovision ? { reprovisioned: true } : {}),
    ...(result === 'PASS'
      ? {}
      : { reason: recorded.reasonCode ?? 'failed', detail: recorded.reasonText ?? '' }),
  };
}

function checkIdentity(
  spec: StationConfig['profile']['profile']['identity'],
  captures: Record<string, string>,
): Verdict | undefined {
  for (const key of ['serial', 'mac', 'firmware'] as const) {
    const field = spec[key];
    if (!field) continue;
    const value = captures[key] ?? '';
    const shown = printable(value, 80);
    if (/[\p{Cc}\p{Cf}]/u.test(value)) {
      return {
        result: 'FAIL',
        serial: key === 'serial' ? shown : printable(captures['serial'] ?? '', 80),
        reason: `${key === 'serial' ? 'serial' : 'identity'}-invalid`,
        detail: `${key} ${JSON.stringify(shown)} holds a control character`,
      };
    }
    if (!new RegExp(`^(?:${field.pattern})$`).test(value)) {
      return {
        result: 'FAIL',
        serial: printable(captures['serial'] ?? '', 80),
        reason: key === 'serial' ? 'serial-invalid' : 'identity-invalid',
        detail: `${key} ${JSON.stringify(shown)} does not match the profile's /${field.pattern}/`,
      };
    }
  }
  return undefined;
}
