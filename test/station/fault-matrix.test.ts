/**
 * The fault matrix: every fault the simulator can inject, each on its own port of one gang run, with the result code
 * it must end in, and proof that nothing wrong was recorded (no PASS for a failed unit, no intent for a unit refused
 * before it was touched, no password in the evidence file, trace or anywhere but the label output).
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordDeriver } from '../../src/derive/password.js';
import { verifyEvidence } from '../../src/evidence/index.js';
import { REASON_ADVICE } from '../../src/reasons/index.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';
import { patientProfile } from '../support/hold.js';
import { runTestStation, TEST_VECTOR_LINE_KEY, type StationRunResult } from '../support/station-harness.js';

const ready = havePrerequisites('station fault matrix over pseudo-terminals', SOCAT);

/**
 * The faults a retry recovers from, with the command the station must have sent twice: the first try runs out its
 * step limit (a dropped reply never comes; a late one comes 2.5 s after the command reaches the unit, past the 2 s
 * limit the station started before sending), so the retry is taken on any machine, fast or slow.
 */
const RETRIED: Record<string, RegExp> = { drop: /^SETVER /, delay: /^VERIFY / };

/** fault → [result, reason code] */
const MATRIX: Array<[string, 'PASS' | 'FAIL', string | undefined]> = [
  ['garbage', 'FAIL', 'garbage'],
  ['drop', 'PASS', undefined],
  ['delay', 'PASS', undefined],
  ['stall', 'FAIL', 'timeout'],
  ['disconnect', 'FAIL', 'timeout'],
  ['nak', 'FAIL', 'nak'],
  ['wrong-readback', 'FAIL', 'readback-mismatch'],
  ['bad-serial', 'FAIL', 'serial-invalid'],
  ['control-serial', 'FAIL', 'serial-invalid'],
  ['slow-commit', 'PASS', undefined],
  ['commit-fail', 'FAIL', 'commit-failed'],
];

describe.skipIf(!ready)('fault matrix (credline-agent profile, one port per fault, gang mode)', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  let run: StationRunResult;
  // `slow-commit` takes 4 s: COMMIT is given 10 minutes, so "slow but within the limit" never depends on how
  // loaded the machine is. The other limits stay as shipped: `stall` and `disconnect` must run out at SETPW.
  const profile = patientProfile('credline-agent', ['commit']);

  beforeAll(async () => {
    for (let i = 0; i <= MATRIX.length; i++) pairs.push(await openPtyPair());
    // Ports 1..11: one faulty unit each. The last port: a good unit, then one reporting the same serial.
    const faults = MATRIX.map(([kind], i) => `${kind}@${i + 1}:1`);
    sims.push(
      startSim([
        ...MATRIX.map((_, i) => ['--port', pairs[i]?.device ?? '']).flat(),
        '--devices',
        '1',
        '--fault',
        faults.join(','),
        '--swap-gap-ms',
        '50',
      ]),
    );
    sims.push(
      startSim([
        '--port',
        pairs[MATRIX.length]?.device ?? '',
        '--devices',
        '2',
        '--serial-prefix',
        'DUP',
        '--fault',
        'duplicate-serial@2',
        '--swap-gap-ms',
        '50',
      ]),
    );
    run = await runTestStation({ profile, ports: pairs.map((p) => p.host), count: MATRIX.length + 2 });
  });

  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
    await Promise.all(pairs.map((p) => p.close()));
    run?.store.close();
  });

  for (const [i, [fault, result, reason]] of MATRIX.entries()) {
    it(`${fault} → ${result}${reason ? ` (${reason})` : ''}`, () => {
      const port = pairs[i]?.host;
      const devices = run.devices.filter((d) => d.port === port);
      expect(devices).toHaveLength(1);
      expect(devices[0]).toMatchObject({ result, ...(reason ? { reason } : {}) });
      const serial = devices[0]?.serial ?? '';
      const pass = run.store.findPass(serial, 'd9c183eb84616abf');
      if (result === 'PASS') expect(pass?.readbackVerified).toBe(true);
      else expect(pass).toBeUndefined();
      const retried = RETRIED[fault];
      if (retried) {
        const sent = run.trace.filter((e) => e.port === port && e.direction === '>' && retried.test(e.text));
        expect(sent).toHaveLength(2);
      }
      if (reason === 'serial-invalid') expectRefusalOnly(serial, 'serial-invalid');
      if (result === 'FAIL') expect(devices[0]?.advice).toBe(REASON_ADVICE[reason ?? '']);
      // The unit answered ID, then went silent at SETVER: the FAIL says SETVER (the ID check before the retry
      // found it silent too, which comes second).
      if (fault === 'stall')
        expect(devices[0]?.detail).toMatch(/^write: no reply to "SETVER .*; then it stopped answering/);
    });
  }

  /**
   * A unit refused before anything was written to it is recorded as a refusal: an intent with no attempt and no
   * fingerprint (no password was chosen), closed at once by a FAIL with the reason; never anything else.
   */
  function expectRefusalOnly(serial: string, reasonCode: string): void {
    const events = run.store.historyOf(serial).events;
    expect(events.map((e) => [e.kind, e.attempt, e.fingerprint, e.result, e.reasonCode])).toEqual([
      ['INTENT', null, null, null, null],
      ['RESULT', null, null, 'FAIL', reasonCode],
    ]);
  }

  it('duplicate serial → FAIL (already-provisioned), recorded as a refusal; the first unit keeps its PASS', () => {
    const port = pairs[MATRIX.length]?.host;
    const devices = run.devices.filter((d) => d.port === port);
    expect(devices.map((d) => [d.serial, d.result, d.reason])).toEqual([
      ['DUP1-000001', 'PASS', undefined],
      ['DUP1-000001', 'FAIL', 'already-provisioned'],
    ]);
    const history = run.store.historyOf('DUP1-000001').events;
    expect(history.map((e) => [e.kind, e.attempt === null, e.result, e.reasonCode])).toEqual([
      ['INTENT', false, null, null],
      ['RESULT', false, 'PASS', null],
      ['INTENT', true, null, null],
      ['RESULT', true, 'FAIL', 'already-provisioned'],
    ]);
    expect(devices[1]?.evidenceSeq).toBe(history[3]?.seq);
    expect(run.store.findPass('DUP1-000001', 'd9c183eb84616abf')?.seq).toBe(history[1]?.seq);
  });

  it('records exactly one result per intent and a PASS only with a verified read-back; the chain verifies', () => {
    const events = [...run.store.iterateEvents()];
    const intents = events.filter((e) => e.kind === 'INTENT');
    const results = events.filter((e) => e.kind === 'RESULT');
    expect(results).toHaveLength(intents.length);
    expect(results.filter((e) => e.result === 'PASS')).toHaveLength(
      run.devices.filter((d) => d.result === 'PASS').length,
    );
    for (const r of results) if (r.result === 'PASS') expect(r.readbackVerified).toBe(true);
    expect(verifyEvidence(run.dbFile).ok).toBe(true);
  });

  it('no password in the evidence files or the trace; labels hold exactly the PASS units', () => {
    const derive = createPasswordDeriver(TEST_VECTOR_LINE_KEY, {
      profileId: 'credline-agent',
      alphabet: profile.profile.passwordPolicy.alphabet,
      length: 12,
      serialCase: 'upper',
    });
    const serials = [
      ...new Set(run.devices.map((d) => d.serial).filter((s): s is string => !!s && !s.includes('\\'))),
    ];
    const passwords = serials.flatMap((s) => [0, 1, 2].map((a) => derive(s, a).password ?? ''));
    const files = readdirSync(run.dir)
      .filter((f) => f.startsWith('evidence.db'))
      .map((f) => readFileSync(join(run.dir, f)).toString('latin1'));
    const trace = JSON.stringify(run.trace);
    for (const pw of passwords) {
      for (const bytes of files) expect(bytes.includes(pw)).toBe(false);
      expect(trace.includes(pw)).toBe(false);
    }
    const labels = existsSync(run.labelsFile)
      ? readFileSync(run.labelsFile, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { serial: string; password: string })
      : [];
    const passed = run.devices.filter((d) => d.result === 'PASS').map((d) => d.serial);
    expect(labels.map((l) => l.serial).sort()).toEqual([...passed].sort());
    for (const l of labels) expect(l.password).toBe(derive(l.serial, 0).password);
  });
});
