import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { createFingerprinter, keyId } from '../../src/derive/key-id.js';
import { createPasswordDeriver } from '../../src/derive/password.js';
import { exportEvidence, openEvidenceStore, type EvidenceStore } from '../../src/evidence/index.js';
import { PROFILE_HASH, tempDir } from './helpers.js';
import { credline } from './cli-run.js';

/** Every encoding of a secret that must never appear: raw bytes, hex (both cases), base64. */
function needlesOf(secret: Uint8Array): Buffer[] {
  const raw = Buffer.from(secret);
  return [
    raw,
    Buffer.from(raw.toString('hex')),
    Buffer.from(raw.toString('hex').toUpperCase()),
    Buffer.from(raw.toString('base64')),
  ];
}

function provisionBatch(store: EvidenceStore, lineKey: Uint8Array, stationSeed: Uint8Array): string[] {
  const id = keyId(lineKey);
  const derive = createPasswordDeriver(lineKey, {
    profileId: 'acme-cam',
    alphabet: UNAMBIGUOUS56,
    length: 12,
  });
  const fingerprint = createFingerprinter(lineKey);
  store.ensureStation({ stationId: 'line1' });
  store.registerLineKey(id, 'security test key');
  store.ensureBatch({
    batchId: 'B1',
    productType: 'camera',
    profileId: 'acme-cam',
    profileRevision: 1,
    profileHash: PROFILE_HASH,
    supportEndDate: '2030-12-31',
  });
  const passwords: string[] = [];
  for (let n = 0; n < 40; n++) {
    const serial = `KL2301-${100000 + n}`;
    const rejected = derive(serial, 0).password as string;
    const accepted = derive(serial, 1).password as string;
    passwords.push(rejected, accepted);
    store.recordPolicyRejection({
      batchId: 'B1',
      serial,
      keyId: id,
      schemeVersion: 1,
      attempt: 0,
      rule: 'zxcvbn-score',
      detail: 'score 2 is below the profile minimum 3',
      stationId: 'line1',
    });
    const intent = store.recordIntent({
      batchId: 'B1',
      serial,
      keyId: id,
      schemeVersion: 1,
      attempt: 1,
      fingerprint: fingerprint(accepted),
      zxcvbnScore: 4,
      zxcvbnLog10Guesses: 12,
      entropyBits: 69.658,
      stationId: 'line1',
      port: '/dev/ttyUSB0',
    });
    if (n % 10 !== 9) store.recordResult(intent, { result: 'PASS', readbackVerified: true });
  }
  store.writeCheckpoint(stationSeed, { stationId: 'line1' });
  // A refused write must not leak either: a collision error names serials only.
  expect(() =>
    store.recordIntent({
      batchId: 'B1',
      serial: 'KL2301-999999',
      keyId: id,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: fingerprint(passwords[1] as string),
      stationId: 'line1',
    }),
  ).toThrow(
    expect.objectContaining({
      message: expect.not.stringContaining(passwords[1] as string) as unknown as string,
    }),
  );
  return passwords;
}

describe('no secret reaches the evidence', () => {
  it('keeps passwords and key bytes out of the database, its WAL, exports, sidecars and CLI output', async () => {
    const dir = tempDir();
    const file = join(dir, 'line1.db');
    const lineKey = randomBytes(32);
    const stationSeed = randomBytes(32);
    const store = openEvidenceStore(file, { create: true });
    const passwords = provisionBatch(store, lineKey, stationSeed);

    const haystacks: { name: string; bytes: Buffer }[] = [];
    // Read the file and its WAL while the store is open (closing checkpoints and removes the WAL).
    for (const name of readdirSync(dir)) haystacks.push({ name, bytes: readFileSync(join(dir, name)) });
    expect(haystacks.map((h) => h.name)).toContain('line1.db-wal');
    store.close();
    haystacks.push({ name: 'line1.db (closed)', bytes: readFileSync(file) });

    for (const format of ['csv', 'json', 'jsonl'] as const) {
      const out = join(dir, `export.${format}`);
      await exportEvidence(file, { format, out });
      haystacks.push(
        { name: out, bytes: readFileSync(out) },
        { name: `${out}.sha256`, bytes: readFileSync(`${out}.sha256`) },
      );
    }
    const runs = [
      ['stats', '--format', 'json'],
      ['list', '--format', 'json'],
      ['list', '--incomplete'],
      ['show', 'KL2301-100003', '--format', 'jsonl'],
      ['head'],
      ['verify', '--format', 'json'],
      ['export', '--format', 'csv', '--out', join(dir, 'cli.csv')],
      ['show', 'NO-SUCH-SERIAL'],
    ];
    for (const args of runs) {
      const run = credline(['evidence', ...args, '--db', file]);
      expect(run.status, `${args.join(' ')}: ${run.stderr}`).toBe(args[1] === 'NO-SUCH-SERIAL' ? 2 : 0);
      haystacks.push({
        name: `credline evidence ${args.join(' ')}`,
        bytes: Buffer.from(run.stdout + run.stderr),
      });
    }
    haystacks.push({ name: 'cli.csv', bytes: readFileSync(join(dir, 'cli.csv')) });

    const needles = [
      ...passwords.flatMap((p) => [{ what: `password ${p.slice(0, 2)}…`, bytes: Buffer.from(p) }]),
      ...needlesOf(lineKey).map((bytes) => ({ what: 'line key bytes', bytes })),
      ...needlesOf(stationSeed).map((bytes) => ({ what: 'station seed bytes', bytes })),
    ];
    expect(passwords).toHaveLength(80);
    for (const hay of haystacks) {
      expect(hay.bytes.length).toBeGreaterThan(0);
      for (const needle of needles) {
        expect(hay.bytes.includes(needle.bytes), `${needle.what} found in ${hay.name}`).toBe(false);
      }
    }
    // The search works: the evidence does hold the (public) key id and fingerprints.
    const db = haystacks[0]?.bytes ?? Buffer.alloc(0);
    expect(Buffer.concat(haystacks.map((h) => h.bytes)).includes(Buffer.from(keyId(lineKey)))).toBe(true);
    expect(db.length).toBeGreaterThan(0);
  });
});
