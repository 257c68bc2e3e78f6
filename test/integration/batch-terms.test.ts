/**
 * A batch is bound to its line key (and alphabet, length, profile and support period), as an operator meets it: the
 * provision CLI in its own process, the simulator in another, over socat ptys. A second key on a batch is refused
 * with what the batch holds; a unit that passed under one key is already provisioned under any other; the support
 * period can be extended but never shortened.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { openEvidenceStore, verifyEvidence } from '../../src/evidence/index.js';
import { createKeyFile } from '../../src/keys/index.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { startProvision } from '../support/provision-process.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';

const ready = havePrerequisites('batch terms end-to-end over pseudo-terminals', SOCAT);
const TEST_KEY_ID = 'd9c183eb84616abf';

describe.skipIf(!ready)('a batch bound to its line key', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  let dir: string;
  let db: string;
  let pair: PtyPair;
  let otherKey: { file: string; passphraseFile: string; keyId: string };
  const station = (extra: string[]): string[] => [
    '--db',
    db,
    '--station',
    's1',
    '--port',
    pair.host,
    ...extra,
  ];
  const serve = (prefix: string): void => {
    sims.push(
      startSim(['--port', pair.device, '--devices', '1', '--serial-prefix', prefix, '--swap-gap-ms', '20']),
    );
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credline-terms-'));
    db = join(dir, 'line.db');
    pair = await openPtyPair();
    pairs.push(pair);
    const passphraseFile = join(dir, 'other.pass');
    writeFileSync(passphraseFile, 'another line key passphrase\n', { mode: 0o600 });
    const file = join(dir, 'other.ckey');
    const header = await createKeyFile(file, {
      kind: 'line',
      passphrase: 'another line key passphrase',
      label: 'line 3',
    });
    otherKey = { file, passphraseFile, keyId: header.keyId };
    serve('FLT');
    const first = startProvision(
      station(['--batch', 'B2026-11', '--support-end', '2031-12-31', '--count', '1']),
    );
    expect(await first.exit).toBe(0);
    expect(first.devices()).toMatchObject([{ serial: 'FLT1-000001', result: 'PASS' }]);
  });

  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await Promise.all(pairs.splice(0).map((p) => p.close()));
  });

  it('refuses another line key on the batch, saying what the batch holds, and records nothing', async () => {
    const headBefore = readHead();
    const refused = startProvision([
      '--key',
      otherKey.file,
      '--passphrase-file',
      otherKey.passphraseFile,
      ...station(['--batch', 'B2026-11', '--count', '1']),
    ]);
    expect(await refused.exit).toBe(2);
    const stderr = refused.stderr();
    expect(stderr).toContain(
      `batch B2026-11 holds line key ${TEST_KEY_ID}, alphabet "${UNAMBIGUOUS56}", length 12, profile credline-agent-psk r1`,
    );
    expect(stderr).toContain(`support period to 2031-12-31; this run has line key ${otherKey.keyId}`);
    expect(stderr.trim().split('\n').at(-1)).toMatch(/^credline: .*use a new batch id$/);
    expect(readHead()).toEqual(headBefore);
  });

  it('a unit that passed under one key is already provisioned under another (same product), recorded as refused', async () => {
    serve('FLT');
    const again = startProvision([
      '--key',
      otherKey.file,
      '--passphrase-file',
      otherKey.passphraseFile,
      ...station(['--batch', 'B2026-12', '--support-end', '2031-12-31', '--count', '1']),
    ]);
    expect(await again.exit).toBe(1);
    expect(again.devices()).toMatchObject([
      { serial: 'FLT1-000001', result: 'FAIL', reason: 'already-provisioned' },
    ]);
    expect(String(again.devices()[0]?.['detail'])).toContain(
      `already PASS in product credline-agent-psk under key ${TEST_KEY_ID} (batch B2026-11`,
    );
    const store = openEvidenceStore(db, { readonly: true });
    try {
      expect([...store.iterateEvents({ result: 'PASS' })].map((e) => [e.serial, e.keyId])).toEqual([
        ['FLT1-000001', TEST_KEY_ID],
      ]);
    } finally {
      store.close();
    }
  });

  it('refuses a support period end earlier than the recorded one; records a later one as an extension', async () => {
    const earlier = startProvision(
      station(['--batch', 'B2026-11', '--support-end', '2030-06-30', '--count', '1']),
    );
    expect(await earlier.exit).toBe(2);
    expect(earlier.stderr()).toContain(
      "batch B2026-11's support period ends 2031-12-31; --support-end 2030-06-30 would shorten it",
    );
    serve('EXT');
    const later = startProvision(
      station(['--batch', 'B2026-11', '--support-end', '2033-12-31', '--count', '1']),
    );
    expect(await later.exit).toBe(0);
    expect(later.stderr()).toContain(
      'batch B2026-11: support period extended from 2031-12-31 to 2033-12-31 (recorded as an extension',
    );
    const store = openEvidenceStore(db, { readonly: true });
    try {
      expect(store.getBatchTerms('B2026-11')).toMatchObject({
        keyId: TEST_KEY_ID,
        supportEndDate: '2033-12-31',
        retentionUntil: expect.stringMatching(/^20(3[6-9])-/) as unknown as string,
      });
      expect(store.getBatch('B2026-11')?.supportEndDate).toBe('2031-12-31'); // the batch record is never edited
    } finally {
      store.close();
    }
    expect(verifyEvidence(db).ok).toBe(true);
  });

  function readHead(): { seq: number; hash: string } {
    const store = openEvidenceStore(db, { readonly: true });
    try {
      return store.head();
    } finally {
      store.close();
    }
  }
});
