/**
 * Compliance figures (`npm run bench -- compliance`): statement rendering (Markdown, HTML, PDF) per statement,
 * and the evidence pack of a 20,000-device batch, with fingerprint uniqueness only and with the batch re-derived
 * and audited in memory (the line key given as bytes, so no scrypt in the figure). Files live in os.tmpdir().
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  openComplianceStore,
  buildEvidencePack,
  type ProductRecord,
  renderStatementHtml,
  renderStatementMarkdown,
  renderStatementPdf,
  buildStatement,
} from '../src/compliance/index.js';
import { createFingerprinter, keyId, createPasswordDeriver } from '../src/derive/index.js';
import { openEvidenceStore } from '../src/evidence/index.js';
import { loadProfile, schemeParamsOf } from '../src/profiles/index.js';

const DEVICES = 20_000;
const RENDERS = 20;
/** BENCH ONLY: the public test-vector key. */
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);

function demoRecord(): ProductRecord {
  const path = fileURLToPath(new URL('../../provisioning/examples/demo-product.json', import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as ProductRecord;
}

function seedDatabase(file: string): void {
  const store = openEvidenceStore(file, { create: true });
  const { profile, hash } = loadProfile('credline-agent');
  store.ensureStation({ stationId: 'bench' });
  store.registerLineKey(keyId(KEY), 'bench key');
  store.ensureBatch({
    batchId: 'BENCH',
    productType: 'demo-camera',
    profileId: profile.id,
    profileRevision: profile.revision,
    profileHash: hash,
    supportEndDate: '2031-12-31',
  });
  const derive = createPasswordDeriver(KEY, schemeParamsOf(profile));
  const fingerprint = createFingerprinter(KEY);
  store.transaction(() => {
    for (let i = 0; i < DEVICES; i++) {
      const serial = `BENCH-${String(i).padStart(6, '0')}`;
      const intent = store.recordIntent({
        batchId: 'BENCH',
        serial,
        keyId: keyId(KEY),
        schemeVersion: 1,
        attempt: 0,
        fingerprint: fingerprint(derive(serial, 0).password as string),
        stationId: 'bench',
      });
      store.recordResult(intent, { result: 'PASS', readbackVerified: true });
    }
  });
  store.close();
}

export async function run(): Promise<void> {
  const record = demoRecord();
  const statement = buildStatement(record, {
    batch: 'BENCH',
    signatory: 'Bench Person, Bench',
    place: 'Bench',
  });
  let started = performance.now();
  for (let i = 0; i < RENDERS; i++) {
    renderStatementMarkdown(statement);
    renderStatementHtml(statement);
  }
  const textMs = (performance.now() - started) / RENDERS;
  started = performance.now();
  let pdfBytes = 0;
  for (let i = 0; i < RENDERS; i++) pdfBytes = (await renderStatementPdf(statement)).length;
  const pdfMs = (performance.now() - started) / RENDERS;
  console.log(
    `statement: Markdown + HTML ${textMs.toFixed(2)} ms; PDF ${pdfMs.toFixed(1)} ms (${pdfBytes} bytes)`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'credline-bench-compliance-'));
  try {
    const db = join(dir, 'bench.db');
    started = performance.now();
    seedDatabase(db);
    console.log(`seeded ${DEVICES} PASS devices in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const store = openComplianceStore(db);
    store.importProductRecord(record);
    store.recordStatement(statement);
    store.close();
    started = performance.now();
    const plain = await buildEvidencePack({ dbFile: db, batchId: 'BENCH' });
    const plainS = (performance.now() - started) / 1000;
    console.log(
      `pack of ${DEVICES} devices, fingerprint uniqueness only: ${plainS.toFixed(2)} s ` +
        `(${plain.files.length} files, ${plain.uniqueness.distinctFingerprints} distinct fingerprints)`,
    );
    started = performance.now();
    const audited = await buildEvidencePack({ dbFile: db, batchId: 'BENCH', lineKey: KEY });
    const auditedS = (performance.now() - started) / 1000;
    console.log(
      `pack of ${DEVICES} devices, re-derived and audited: ${auditedS.toFixed(2)} s ` +
        `(audit ${audited.audit?.passed ? 'PASS' : 'FAIL'}, ${audited.audit?.fingerprintMismatches.length} mismatches)`,
    );
    const rules = (audited.audit?.report['rules'] ?? []) as {
      id: string;
      status: string;
      findings: string[];
    }[];
    for (const rule of rules.filter((r) => r.status === 'fail')) {
      console.log(`  audit rule ${rule.id} failed: ${rule.findings.join(' ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
