import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { renderVerifyReport } from '../../src/cli/evidence/render-text.js';
import { verifyEvidence, type VerifyReport } from '../../src/evidence/index.js';
import { newStore, provision, tempDir, TEST_KEY_ID, TEST_STATION_SEED } from './helpers.js';
import { rehashChain, tamper } from './tamper.js';

const STATION_PUBLIC_KEY = Buffer.from(ed25519.getPublicKey(TEST_STATION_SEED)).toString('hex');

/**
 * seq 1 station, 2 line key, 3 batch; SN-1 4/5, SN-2 6/7, a policy rejection for SN-3 at 8, SN-3 9/10,
 * SN-4 11/12 (FAIL), SN-5 13/14; a checkpoint signs seq 14.
 */
function signedStore(): { file: string; head: string } {
  const store = newStore(join(tempDir(), 'line1.db'));
  provision(store, 'SN-1');
  provision(store, 'SN-2');
  store.recordPolicyRejection({
    batchId: 'B1',
    serial: 'SN-3',
    keyId: TEST_KEY_ID,
    schemeVersion: 1,
    attempt: 0,
    rule: 'zxcvbn-score',
    detail: 'score 2 is below 3',
    stationId: 'line1',
  });
  provision(store, 'SN-3');
  provision(store, 'SN-4', 'FAIL');
  provision(store, 'SN-5');
  store.writeCheckpoint(TEST_STATION_SEED, { stationId: 'line1', reason: 'batch-end' });
  const head = store.head();
  expect(head.seq).toBe(14);
  store.close();
  return { file: store.file, head: `${head.seq}:${head.hash}` };
}

function chainProblems(report: VerifyReport) {
  return report.problems.filter((p) => p.kind === 'chain');
}

describe('evidence verify', () => {
  it('passes an untouched file, with every record signed', () => {
    const { file, head } = signedStore();
    const report = verifyEvidence(file, { expectHead: head, stationPublicKeys: [STATION_PUBLIC_KEY] });
    expect(report).toMatchObject({ ok: true, records: 14, problems: [], unsigned: 0 });
    expect(report.checkpoints).toMatchObject({
      total: 1,
      valid: 1,
      lastSignedSeq: 14,
      signers: [STATION_PUBLIC_KEY],
    });
  });

  it('reports records after the last checkpoint as unsigned without failing', () => {
    const { file } = signedStore();
    const store = newStore(file);
    provision(store, 'SN-6');
    store.close();
    expect(verifyEvidence(file)).toMatchObject({ ok: true, unsigned: 2, checkpoints: { lastSignedSeq: 14 } });
  });

  it('names the event whose field was edited (a FAIL turned into a PASS)', () => {
    const { file } = signedStore();
    tamper(file, "UPDATE provisioning_events SET result = 'PASS', readback_verified = 1 WHERE seq = 12", {
      restoreTriggers: true,
    });
    const report = verifyEvidence(file);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ kind: 'chain', seq: 12 });
    expect(report.problems[0]?.message).toMatch(
      /^seq 12 \(provisioning_events: RESULT PASS, serial SN-4, batch B1\): its content does not match its row_hash \(stored [0-9a-f]{64}, computed from the fields [0-9a-f]{64}\), while the next record's prev_hash still links to the stored row_hash: the stored hash is the original, so the row was changed after it was written: a field was edited \(a hash cannot tell which\)$/,
    );
    expect(report.problems).toHaveLength(1);
  });

  it('says when the edited record is the last one, where no later prev_hash vouches for its hash', () => {
    const { file } = signedStore();
    tamper(file, "UPDATE provisioning_events SET reason_text = 'fine' WHERE seq = 14", {
      restoreTriggers: true,
    });
    const chain = chainProblems(verifyEvidence(file));
    expect(chain).toHaveLength(1);
    expect(chain[0]?.message).toMatch(
      /^seq 14 \(provisioning_events: RESULT PASS, serial SN-5, batch B1\): .*: a field was edited \(it is the last record/,
    );
  });

  it('keeps naming the field when its value is impossible for its kind', () => {
    const { file } = signedStore();
    tamper(file, "UPDATE batches SET support_end_date = '31/12/2030' WHERE seq = 3", {
      restoreTriggers: true,
    });
    expect(chainProblems(verifyEvidence(file))[0]?.message).toMatch(
      /^seq 3 \(batches: batch B1\): field support_end_date: .*\(edited by hand\)$/,
    );
  });

  it('names the deleted event', () => {
    const { file } = signedStore();
    tamper(file, 'DELETE FROM provisioning_events WHERE seq = 9', { restoreTriggers: true });
    const report = verifyEvidence(file);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'chain', seq: 9, message: 'seq 9 is missing: the record was deleted' }),
    ]);
  });

  it('names an inserted event that reuses a seq', () => {
    const { file } = signedStore();
    tamper(
      file,
      `INSERT INTO policy_rejections SELECT 6, prev_hash, row_hash, batch_id, 'SN-2', key_id, scheme_version, 0,
         'forged', NULL, port, station_id, operator, recorded_at FROM policy_rejections WHERE seq = 8`,
      { restoreTriggers: true },
    );
    const problems = chainProblems(verifyEvidence(file));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ seq: 6 });
    expect(problems[0]?.message).toMatch(/seq 6 appears twice.*inserted into policy_rejections/);
  });

  it('names an event inserted at the end whose hash does not fit', () => {
    const { file } = signedStore();
    tamper(
      file,
      `INSERT INTO provisioning_events SELECT 15, row_hash, row_hash, kind, intent_seq, batch_id, 'SN-99', key_id,
         scheme_version, profile_id, profile_revision, profile_hash, attempt, NULL, zxcvbn_score, zxcvbn_log10_guesses,
         entropy_bits, result, readback_verified, reason_code, reason_text, reprovision_reason, port, station_id,
         operator, started_at, finished_at, recorded_at FROM provisioning_events WHERE seq = 13`,
      { restoreTriggers: true },
    );
    const report = verifyEvidence(file);
    expect(report.ok).toBe(false);
    expect(chainProblems(report)[0]).toMatchObject({ seq: 15 });
  });

  it('names reordered events (two seqs swapped)', () => {
    const { file } = signedStore();
    tamper(
      file,
      `UPDATE provisioning_events SET seq = 1000 WHERE seq = 6;
       UPDATE provisioning_events SET seq = 6 WHERE seq = 9;
       UPDATE provisioning_events SET seq = 9 WHERE seq = 1000;`,
      { restoreTriggers: true },
    );
    const problems = chainProblems(verifyEvidence(file));
    expect(problems[0]).toMatchObject({ seq: 6 });
    expect(problems[0]?.message).toMatch(/written as seq 9 and now sits at seq 6: records were reordered/);
  });

  it('detects a truncated tail against the anchored head even when the checkpoints were deleted too', () => {
    const { file, head } = signedStore();
    tamper(file, 'DELETE FROM provisioning_events WHERE seq >= 11; DELETE FROM checkpoints;', {
      restoreTriggers: true,
    });
    expect(verifyEvidence(file).ok).toBe(true); // a bare chain cannot know its own end…
    const report = verifyEvidence(file, { expectHead: head });
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ kind: 'head', seq: 14 });
    expect(report.problems[0]?.message).toMatch(/not in the chain, which ends at seq 10: .*truncated/);
  });

  it('reports an anchor whose SEQ does not go with its HASH once, without also saying it was found', () => {
    const { file, head } = signedStore();
    const hash = head.split(':')[1] as string;
    const report = verifyEvidence(file, { expectHead: `42:${hash}` });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        kind: 'head',
        seq: 42,
        message:
          `the expected head 42:${hash} does not match the chain: that hash is the intact record at seq 14, and ` +
          `a row_hash covers its seq, so it was never seq 42; the anchor was recorded wrongly (evidence head ` +
          `printed 14:${hash}): check where it was recorded`,
      },
    ]);
    expect(report.anchor).toEqual({ seq: 42, hash, found: false });
    expect(renderVerifyReport(report)).not.toMatch(/found at seq|appended since/);
  });

  it('detects a truncated tail from the signed checkpoint', () => {
    const { file } = signedStore();
    tamper(file, 'DELETE FROM provisioning_events WHERE seq >= 13', { restoreTriggers: true });
    const report = verifyEvidence(file);
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'checkpoint',
        seq: 14,
        message: expect.stringMatching(/chain ends at seq 12: .*truncated/),
      }),
    ]);
  });

  it('catches a forger who edits a field and re-hashes the whole chain: the signed checkpoint no longer matches', () => {
    const { file } = signedStore();
    tamper(file, "UPDATE provisioning_events SET result = 'PASS', readback_verified = 1 WHERE seq = 12");
    rehashChain(file);
    const report = verifyEvidence(file);
    expect(chainProblems(report)).toEqual([]);
    expect(report.problems[0]).toMatchObject({ kind: 'checkpoint', seq: 14 });
    expect(report.problems[0]?.message).toMatch(/records up to seq 14 were rewritten/);
  });

  it('refuses a checkpoint whose signature does not verify, or one by an unexpected key', () => {
    const { file } = signedStore();
    expect(verifyEvidence(file, { stationPublicKeys: ['11'.repeat(32)] }).problems[0]?.message).toMatch(
      /not by the expected station key/,
    );
    tamper(
      file,
      'UPDATE checkpoints SET head_seq = 13, head_hash = (SELECT row_hash FROM provisioning_events WHERE seq = 13)',
      {
        restoreTriggers: true,
      },
    );
    expect(verifyEvidence(file).problems[0]?.message).toMatch(/signature is not valid/);
  });

  it('names a dropped or altered append-only trigger', () => {
    const { file } = signedStore();
    tamper(file, 'SELECT 1', { restoreTriggers: true });
    expect(verifyEvidence(file).ok).toBe(true);
    tamper(file, 'SELECT 1'); // all triggers dropped, nothing else changed
    const dropped = verifyEvidence(file);
    expect(dropped.ok).toBe(false);
    expect(dropped.problems.every((p) => p.kind === 'trigger')).toBe(true);
    expect(dropped.problems.map((p) => p.message)).toContainEqual(
      expect.stringMatching(/provisioning_events_no_update is missing/),
    );
    tamper(file, 'SELECT 1', { restoreTriggers: true });
    tamper(file, 'CREATE TRIGGER batches_no_update BEFORE UPDATE ON batches BEGIN SELECT 1; END', {
      restoreTriggers: false,
    });
    expect(verifyEvidence(file).problems.map((p) => p.message)).toContainEqual(
      expect.stringMatching(/batches_no_update on batches was altered/),
    );
  });

  it('rejects a malformed --expect-head', () => {
    const { file } = signedStore();
    expect(() => verifyEvidence(file, { expectHead: 'abc' })).toThrow(/--expect-head expected/);
  });

  const hasSqlite3 = spawnSync('sqlite3', ['--version']).status === 0;
  it.skipIf(!hasSqlite3)(
    'names the event edited by hand in the sqlite3 shell (credline evidence verify exits 1)',
    () => {
      const { file } = signedStore();
      execFileSync('sqlite3', [
        file,
        "DROP TRIGGER provisioning_events_no_update; UPDATE provisioning_events SET serial = 'SN-X' WHERE seq = 7;",
      ]);
      const cli = spawnSync('node', ['bin/credline.js', 'evidence', 'verify', '--db', file], {
        encoding: 'utf8',
      });
      expect(cli.status).toBe(1);
      expect(cli.stdout).toMatch(/^FAILED/);
      expect(cli.stdout).toMatch(
        /seq 7: \[chain\] seq 7 \(provisioning_events: RESULT PASS, serial SN-X, batch B1\): its content does not match its row_hash .*: a field was edited/,
      );
      expect(cli.stdout).toMatch(/trigger provisioning_events_no_update is missing/);
    },
  );
});
