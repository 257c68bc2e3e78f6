/**
 * The evidence pack judges uniqueness per line key and says so (issue 13): a fingerprint is keyed by the line key,
 * so fingerprints under two keys cannot be compared. A batch from before batch terms may mix keys: the pack reports
 * each key's devices, re-derives with --key only that key's devices, and says which were not re-derived. The
 * batch's support period in force (an extension in its batch terms) is in the pack.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEvidencePack } from '../../src/compliance/index.js';
import { openComplianceStore } from '../../src/compliance/compliance-store.js';
import { writePackDirectory } from '../../src/compliance/pack-writer.js';
import { buildStatement } from '../../src/compliance/statement.js';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { createFingerprinter, keyId } from '../../src/derive/key-id.js';
import { createPasswordDeriver } from '../../src/derive/password.js';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { createEvidenceFixture } from './evidence-fixture.js';
import { demoRecord, HAS_PYTHON3, temporaryDirectory } from './helpers.js';

const TEST_VECTOR_KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const OTHER_KEY = Uint8Array.from({ length: 32 }, () => 7);
const REQUEST = {
  batch: 'DEMO-B1',
  signatory: 'Ana Silva, Head of Compliance',
  place: 'Leeds',
  date: '2026-12-03',
};

/** The fixture's batch (5 devices under the test-vector key) plus 3 under another key, as an old file may hold. */
function mixedKeyStore(): string {
  const db = createEvidenceFixture({ devices: 5 });
  const store = openEvidenceStore(db);
  const other = keyId(OTHER_KEY);
  store.registerLineKey(other, 'line 4');
  const derive = createPasswordDeriver(OTHER_KEY, {
    profileId: 'credline-agent',
    alphabet: UNAMBIGUOUS56,
    length: 12,
  });
  const fingerprint = createFingerprinter(OTHER_KEY);
  for (let i = 0; i < 3; i++) {
    const serial = `DEMO-${200001 + i}`;
    const intent = store.recordIntent({
      batchId: 'DEMO-B1',
      serial,
      keyId: other,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: fingerprint(derive(serial, 0).password as string),
      stationId: 'line1',
    });
    store.recordResult(intent, { result: 'PASS', readbackVerified: true });
  }
  store.close();
  issue(db, demoRecord());
  return db;
}

function issue(db: string, record: ReturnType<typeof demoRecord>): void {
  const compliance = openComplianceStore(db, { now: () => new Date('2026-12-03T12:00:00Z') });
  compliance.importProductRecord(record);
  compliance.recordStatement(buildStatement(record, { ...REQUEST, today: '2026-12-03' }));
  compliance.close();
}

function text(pack: { files: { name: string; data: Uint8Array }[] }, name: string): string {
  const file = pack.files.find((f) => f.name === name);
  return new TextDecoder().decode(file?.data);
}

describe('evidence pack: uniqueness per line key', () => {
  it('reports each key of a batch mixing keys, and says fingerprints across keys are not compared', async () => {
    const db = mixedKeyStore();
    const pack = await buildEvidencePack({ dbFile: db, batchId: 'DEMO-B1' });
    const [a, b] = [keyId(TEST_VECTOR_KEY), keyId(OTHER_KEY)];
    expect(pack.uniqueness.byKey).toEqual([
      { keyId: a, devices: 5, distinctFingerprints: 5 },
      { keyId: b, devices: 3, distinctFingerprints: 3 },
    ]);
    expect(pack.uniqueness.passed).toBe(true);
    expect(pack.uniqueness.scope).toBe(
      `unique among 5 passwords under key ${a}; unique among 3 passwords under key ${b}. Judged per line key: ` +
        'fingerprints under different keys cannot be compared (re-derive each key’s devices with its key to ' +
        'compare the passwords themselves)',
    );
    const readme = text(pack, 'README.md');
    expect(readme).toContain(`unique among 5 passwords under key ${a}`);
    expect(readme).toContain('prints one line per line key');
    expect(JSON.parse(text(pack, 'evidence/key-ids.json'))).toMatchObject({
      passedDevicesByKey: [
        { keyId: a, devices: 5 },
        { keyId: b, devices: 3 },
      ],
    });
    if (HAS_PYTHON3) {
      const out = join(temporaryDirectory(), 'pack');
      writePackDirectory(out, pack.files);
      const step8 = /`(python3 -c '[^`]*') evidence\/events\.jsonl`/.exec(readme)?.[1] as string;
      const run = spawnSync('sh', ['-c', `${step8} evidence/events.jsonl`], { cwd: out, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const lines = [
        `key ${a}: 5 devices, 5 distinct fingerprints`,
        `key ${b}: 3 devices, 3 distinct fingerprints`,
      ];
      expect(run.stdout).toBe(`${lines.sort().join('\n')}\n`);
    }
  });

  it('with --key, re-derives and audits that key’s devices and names the ones it did not', async () => {
    const db = mixedKeyStore();
    const pack = await buildEvidencePack({ dbFile: db, batchId: 'DEMO-B1', lineKey: TEST_VECTOR_KEY });
    expect(pack.audit).toMatchObject({
      keyId: keyId(TEST_VECTOR_KEY),
      devices: 5,
      notReDerived: [{ keyId: keyId(OTHER_KEY), devices: 3 }],
      fingerprintMismatches: [],
      passed: true,
    });
    const unique = (pack.audit?.report['rules'] as { id: string; findings: string[] }[]).find(
      (r) => r.id === 'unique',
    );
    expect(unique?.findings[0]).toBe(
      `all 5 passwords are distinct (unique among 5 passwords under key ${keyId(TEST_VECTOR_KEY)})`,
    );
    expect(text(pack, 'README.md')).toContain(
      `not re-derived, so not audited here: 3 under key ${keyId(OTHER_KEY)}`,
    );
  });
});

describe('evidence pack: the batch support period in force', () => {
  it('carries an extension recorded in the batch terms, and retention follows it', async () => {
    const db = createEvidenceFixture({ devices: 2, extendSupportTo: '2040-12-31' });
    const record = demoRecord();
    record.supportPeriod = { ...record.supportPeriod, endDate: '2040-12-31' } as typeof record.supportPeriod;
    issue(db, record);
    const pack = await buildEvidencePack({ dbFile: db, batchId: 'DEMO-B1' });
    const batch = JSON.parse(text(pack, 'evidence/batch.json')) as Record<string, unknown>;
    expect(batch['supportEndDate']).toBe('2031-12-31'); // the batch record, never edited
    expect(batch['supportPeriodInForce']).toMatchObject({
      endDate: '2040-12-31',
      retentionUntil: '2040-12-31',
      extendedFrom: '2031-12-31',
      batchTermsSeq: expect.any(Number),
    });
    const retention = JSON.parse(text(pack, 'retention.json')) as { kind: string; retainUntil: string }[];
    expect(retention.find((e) => e.kind === 'batch')?.retainUntil).toBe('2040-12-31');
    expect(text(pack, 'README.md')).toContain("the batch's is extended to 31 December 2040");
  });
});
