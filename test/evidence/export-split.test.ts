/**
 * A large CSV export is formatted by two worker threads (src/evidence/export/export-split.ts): its bytes, and so its
 * sha256, must be those of the one-thread export of the same file, whatever the record types, filters and pieces.
 * It must leave nothing behind when it fails or is interrupted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComplianceStore } from '../../src/compliance/compliance-store.js';
import { buildStatement } from '../../src/compliance/statement.js';
import { createFingerprinter } from '../../src/derive/key-id.js';
import type { ImportedDevice } from '../../src/evidence/store/device-import.js';
import { exportEvidence, type ExportOptions } from '../../src/evidence/export/export.js';
import {
  splitPlan,
  SPLIT_SIZING,
  writeSplitCsv,
  type SplitSizing,
} from '../../src/evidence/export/export-split.js';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { RECORD_TYPES, type ChainFilter } from '../../src/evidence/chain/record-types.js';
import type { ChainHead } from '../../src/evidence/types.js';
import { createEvidenceFixture } from '../compliance/evidence-fixture.js';
import { demoRecord } from '../compliance/helpers.js';
import { newStore, PROFILE_HASH, TEST_KEY_ID, TEST_LINE_KEY, tempDir } from './helpers.js';

const LATER = '2030-01-01T00:00:00.000Z';

/**
 * Every chained record type: the compliance fixture (station, line key, batch, events), a product record, its batch
 * link and a statement (compliance seals), then, recorded later, a second batch bound to its key (batch terms), a
 * policy rejection with text a spreadsheet would run, and more events.
 */
function storeWithEveryRecordType(): string {
  const file = createEvidenceFixture({ devices: 4 });
  const compliance = openComplianceStore(file, { now: () => new Date('2024-02-29T12:00:00Z') });
  compliance.importProductRecord(demoRecord());
  const request = {
    batch: 'DEMO-B1',
    signatory: 'Ana Silva, Head of Compliance',
    place: 'Leeds',
    date: '2024-02-29',
    backdatedReason: 'fixture: a leap-day statement',
  };
  compliance.recordStatement(buildStatement(demoRecord(), { ...request, today: '2024-03-01' }));
  compliance.close();
  const store = openEvidenceStore(file, { now: () => new Date(LATER) });
  store.ensureBatch({
    batchId: 'B2',
    productType: 'router',
    profileId: 'acme-router',
    profileRevision: 1,
    profileHash: PROFILE_HASH,
    supportEndDate: '2031-06-30',
  });
  store.bindBatch({
    batchId: 'B2',
    keyId: TEST_KEY_ID,
    testKey: true,
    alphabet: '0123456789',
    passwordLength: 20,
  });
  store.recordPolicyRejection({
    batchId: 'B2',
    serial: 'SN-R',
    keyId: TEST_KEY_ID,
    schemeVersion: 1,
    attempt: 0,
    rule: '=HYPERLINK("http://evil.example/")',
    detail: 'a "quote", a comma\nand a new line',
    stationId: 'line1',
  });
  store.close();
  return file;
}

/** The split export of `filter` into `out`, as export.ts runs it: its bytes, records and sha256. */
async function splitExport(
  file: string,
  filter: ChainFilter,
  head: ChainHead,
  sizing: SplitSizing,
  signal = new AbortController().signal,
): Promise<{ bytes: Buffer; records: number; sha256: string }> {
  const pieces = splitPlan(filter, head, sizing);
  if (!pieces) throw new Error('not split');
  const out = join(tempDir(), 'split.csv');
  const fd = openSync(out, 'w', 0o600);
  const hash = createHash('sha256');
  try {
    const records = await writeSplitCsv({ file, head, pieces, openOut: () => fd, hash, signal });
    return { bytes: readFileSync(out), records, sha256: hash.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

describe('split CSV export', () => {
  it('writes from many tiny pieces the bytes of the one-thread export: every record type, any filter', async () => {
    const file = storeWithEveryRecordType();
    const filters: ChainFilter[] = [
      {},
      { batchId: 'DEMO-B1' },
      { batchId: 'B2' },
      { since: LATER },
      { toSeq: 7 },
    ];
    for (const filter of filters) {
      const out = join(tempDir(), 'one.csv');
      const one = await exportEvidence(file, { format: 'csv', out, parallel: false, ...filter });
      const names = new Set(
        readFileSync(out, 'utf8')
          .split('\n')
          .map((line) => line.split(',')[0]),
      );
      if (Object.keys(filter).length === 0) {
        for (const type of RECORD_TYPES) expect(names).toContain(type.name);
      }
      for (const pieceSeqs of [1, 3, 1000]) {
        const split = await splitExport(file, filter, one.head, { minSeqs: 1, pieceSeqs });
        expect(split.bytes.equals(readFileSync(out))).toBe(true);
        expect(split.sha256).toBe(one.sha256);
        expect(split.records).toBe(one.records);
      }
    }
  });

  it('refuses to go on when a worker does not find the head row in its snapshot (the file changed)', async () => {
    const file = storeWithEveryRecordType();
    const one = await exportEvidence(file, { format: 'csv', out: join(tempDir(), 'one.csv') });
    const forged = { seq: one.head.seq, hash: 'f'.repeat(64) };
    await expect(splitExport(file, {}, forged, { minSeqs: 1, pieceSeqs: 2 })).rejects.toMatchObject({
      code: 'EVIDENCE_EXPORT_CHANGED',
    });
  });

  it('stops when aborted', async () => {
    const file = storeWithEveryRecordType();
    const one = await exportEvidence(file, { format: 'csv', out: join(tempDir(), 'one.csv') });
    const abort = new AbortController();
    abort.abort(new Error('stop here'));
    await expect(splitExport(file, {}, one.head, { minSeqs: 1, pieceSeqs: 2 }, abort.signal)).rejects.toThrow(
      'stop here',
    );
  });

  it('keeps the filter: the first piece has no lower bound of its own, the last ends at the head', () => {
    const head = { seq: 10, hash: '0'.repeat(64) };
    expect(splitPlan({ batchId: 'B1' }, head, { minSeqs: 1, pieceSeqs: 4 })).toEqual([
      { batchId: 'B1', toSeq: 4 },
      { batchId: 'B1', fromSeq: 5, toSeq: 8 },
      { batchId: 'B1', fromSeq: 9, toSeq: 10 },
    ]);
    expect(splitPlan({ fromSeq: 3, toSeq: 99 }, head, { minSeqs: 1, pieceSeqs: 5 })).toEqual([
      { fromSeq: 3, toSeq: 7 },
      { fromSeq: 8, toSeq: 10 },
    ]);
    expect(splitPlan({}, head, { minSeqs: 11, pieceSeqs: 4 })).toBeUndefined();
  });
});

/** Enough devices that a CSV export is split with the real sizing. */
const LARGE_DEVICES = Math.ceil(SPLIT_SIZING.minSeqs / 2) + 5000;

describe('split CSV export of a large store', () => {
  let file: string;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'credline-export-split-')); // kept for every test of this block
    const store = newStore(join(dir, 'large.db'));
    const fingerprint = createFingerprinter(TEST_LINE_KEY);
    const device = (n: number): ImportedDevice => ({
      batchId: 'B1',
      serial: `SN-${n}`,
      keyId: TEST_KEY_ID,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: fingerprint(`pw-${n}`),
      zxcvbnScore: 4,
      zxcvbnLog10Guesses: 12,
      entropyBits: 69.658,
      port: '/dev/ttyUSB0',
      stationId: 'line1',
      operator: 'op1',
      result: { result: 'PASS', readbackVerified: true },
    });
    for (let n = 0; n < LARGE_DEVICES; n += 5000) {
      store.importDevices(Array.from({ length: Math.min(5000, LARGE_DEVICES - n) }, (_, i) => device(n + i)));
    }
    store.close();
    file = store.file;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the bytes and sidecar of the one-thread export', async () => {
    const dir = tempDir();
    const options: ExportOptions = { format: 'csv', out: join(dir, 'split.csv') };
    const split = await exportEvidence(file, options);
    expect(splitPlan({}, split.head)).toBeDefined();
    const one = await exportEvidence(file, { ...options, out: join(dir, 'one.csv'), parallel: false });
    expect(split.sha256).toBe(one.sha256);
    expect(split.records).toBe(one.records);
    expect(readFileSync(split.sidecar, 'utf8').replace('split.csv', 'one.csv')).toBe(
      readFileSync(one.sidecar, 'utf8'),
    );
    expect(statSync(split.out).mode & 0o777).toBe(0o600);
  });

  it('on Ctrl-C ends as killed by SIGINT and leaves no file behind', async () => {
    const outDir = tempDir();
    const out = join(outDir, 'x.csv');
    // The output is a pipe the test reads. After the first bytes the test stops reading, so the export (many times
    // the pipe's buffer) is held part-way however fast the machine is, until the export has taken the Ctrl-C.
    expect(spawnSync('mkfifo', ['-m', '600', out]).status).toBe(0);
    const child = spawn(
      process.execPath,
      ['bin/credline.js', 'evidence', 'export', '--db', file, '--format', 'csv', '--out', out, '--force'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    let stderr = '';
    const interrupted = new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('SIGINT: the export stops')) resolve();
      }),
    );
    const reader = createReadStream(out);
    await once(reader, 'data');
    reader.pause();
    child.kill('SIGINT');
    await interrupted;
    reader.resume(); // the write under way completes; the export then stops, removes the file and ends
    expect(await ended).toBe('SIGINT');
    reader.destroy();
    expect(stderr).toBe(`credline: SIGINT: the export stops; ${out} is removed\n`);
    expect(readdirSync(outDir)).toEqual([]);
  });
});
