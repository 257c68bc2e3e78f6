/**
 * A profile's whole dialogue with one unit, phase by phase: identify, then write → verify → commit → lock.
 * Knows nothing of keys or evidence: the station hands in the value to store and records what comes back.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DeviceProfile } from '../profiles/index.js';
import { equalInConstantTime } from './constant-time.js';
import { printable } from './redact.js';
import { type DialogueContext, runStep, type StepResult } from './run-step.js';

export type PhaseResult =
  | { ok: true; captures: Record<string, string> }
  | { ok: false; phase: string; reason: string; detail: string };

/** Runs the identify steps and merges their captures (`serial`, and `mac`, `firmware`, `nonce` when the profile has them). */
export async function runIdentify(ctx: DialogueContext, profile: DeviceProfile): Promise<PhaseResult> {
  return runPhase(ctx, profile, 'identify');
}

/**
 * Stores `stored` (the password, verifier or crypt text) on the unit and proves it arrived: for a unit that arrived
 * blank (`options.assignSerial`), first the assignSerial steps writing `ctx.values.serial`; then write steps with
 * {{value}}, the verify step (read-back compared in constant time), commit, the optional login check (the device
 * itself accepts the password), then lock. The first failure ends it. Before
 * any step is retried the unit is identified again: when the one answering is not the unit `identified` (pulled
 * mid-write and replaced), the dialogue ends as `unit-changed` and nothing is sent to the newcomer.
 *
 * @example
 * const r = await runProvisioningDialogue(ctx, profile, verifierText);
 * if (!r.ok) console.log(r.phase, r.reason); // e.g. 'commit', 'commit-failed'
 */
export async function runProvisioningDialogue(
  ctx: DialogueContext,
  profile: DeviceProfile,
  stored: string,
  quoted: string,
  identified: Readonly<Record<string, string>>,
  options: { assignSerial?: boolean } = {},
): Promise<PhaseResult> {
  const challenge = randomBytes(16).toString('hex');
  const values = { ...ctx.values, value: quoted, challenge };
  const secrets = [...ctx.secrets, stored];
  let unit = identified;
  const inner: DialogueContext = {
    ...ctx,
    values,
    secrets,
    confirmUnit: (timeoutMs) => confirmSameUnit(ctx, profile, unit, timeoutMs),
  };
  if (options.assignSerial) {
    // A unit that arrived blank gets its serial first; from then on it identifies with it.
    const assigned = await runPhase(inner, profile, 'assignSerial');
    if (!assigned.ok) return assigned;
    unit = { ...identified, serial: ctx.values['serial'] ?? '' };
  }
  const written = await runPhase(inner, profile, 'write');
  if (!written.ok) return written;
  const verify = profile.dialogue.verify;
  const read = await runStep(inner, verify, 'verify');
  if (!read.ok) return { ...read, phase: 'verify' };
  const got = read.captures[verify.readback.capture] ?? '';
  const want = verify.readback.compare === 'stored' ? stored : sha256Hex(`${challenge}:${stored}`);
  if (!equalInConstantTime(got, want)) {
    return {
      ok: false,
      phase: 'verify',
      reason: 'readback-mismatch',
      detail:
        verify.readback.compare === 'stored'
          ? 'the value read back differs from the one written'
          : 'the digest read back does not match the value written',
    };
  }
  const committed = await runPhase(inner, profile, 'commit');
  if (!committed.ok) return committed;
  const loggedIn = await runPhase(inner, profile, 'loginCheck');
  if (!loggedIn.ok) return loggedIn;
  return runPhase(inner, profile, 'lock');
}

/** Sends the best-effort `report` line (PASS/FAIL for the unit's indicator); its outcome is ignored. */
export async function sendReport(
  ctx: DialogueContext,
  profile: DeviceProfile,
  result: 'PASS' | 'FAIL',
  reason: string,
): Promise<void> {
  const report = profile.dialogue.report;
  if (!report || ctx.transport.closed) return;
  const step = { send: report.send, expect: '^(OK|ERR)\\b', timeoutMs: report.timeoutMs, retries: 0 };
  await runStep({ ...ctx, values: { ...ctx.values, result, reason } }, step, 'report').catch(() => undefined);
}

async function runPhase(
  ctx: DialogueContext,
  profile: DeviceProfile,
  phase: 'identify' | 'assignSerial' | 'write' | 'commit' | 'loginCheck' | 'lock',
): Promise<PhaseResult> {
  const captures: Record<string, string> = {};
  for (const step of profile.dialogue[phase] ?? []) {
    const result: StepResult = await runStep(ctx, step, phase);
    if (!result.ok) return { ...result, phase };
    Object.assign(captures, result.captures);
  }
  return { ok: true, captures };
}

/** The reason code of a unit that was replaced mid-dialogue (another unit answers the check before a retry). */
export const UNIT_CHANGED = 'unit-changed';

/** The captures that tell one unit from another: the per-boot nonce, and the serial and MAC as read. */
const UNIT_MARKS = ['serial', 'nonce', 'mac'] as const;

async function confirmSameUnit(
  ctx: DialogueContext,
  profile: DeviceProfile,
  identified: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<StepResult> {
  const patient = profile.dialogue.identify.map((step) => ({
    ...step,
    timeoutMs: Math.max(step.timeoutMs, timeoutMs),
  }));
  const now = await runPhase(
    ctx,
    { ...profile, dialogue: { ...profile.dialogue, identify: patient } },
    'identify',
  );
  if (!now.ok) {
    return {
      ok: false,
      reason: 'timeout',
      detail: `then it stopped answering (${now.reason}: ${now.detail})`,
    };
  }
  const changed = UNIT_MARKS.filter((mark) => (identified[mark] ?? '') !== (now.captures[mark] ?? ''));
  if (changed.length === 0) return { ok: true, captures: {} };
  const shown = (captures: Readonly<Record<string, string>>): string =>
    changed.map((mark) => `${mark} ${printable(captures[mark] ?? '', 40)}`).join(', ');
  return {
    ok: false,
    reason: UNIT_CHANGED,
    detail: `another unit answers (${shown(now.captures)}; was ${shown(identified)}): the unit was replaced mid-write`,
  };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
