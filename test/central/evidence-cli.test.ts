/**
 * `credline evidence list|show|stats|verify|export --central`: the compliance reads over the central store (a real
 * PostgreSQL server) give the local store's shapes, the stations' records in order of station id, then seq; a store
 * that cannot be reached, or goes away mid-command, is one line and exit 3.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncStation } from '../../src/central/index.js';
import { credline, type CliResult } from '../evidence/cli-run.js';
import { havePostgresServer } from '../support/postgres.js';
import { serials, startCentral, stationFile, tempDir, type CentralFixture } from './helpers.js';

const ready = havePostgresServer('central evidence CLI tests');

/** The CLI as a child process that does not block this one (so a test can act on the server meanwhile). */
function credlineAsync(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/credline.js', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe.skipIf(!ready)('evidence commands over the central store', () => {
  let central: CentralFixture;
  let files: { line1: string; line2: string };
  let home: string;
  const asAuditor = (args: string[]): CliResult =>
    credline([...args, '--central-env', 'CENTRAL_URL'], central.env('auditor'));

  beforeAll(async () => {
    central = await startCentral();
    home = mkdtempSync(join(tmpdir(), 'credline-central-cli-'));
    const one = stationFile('line1', [...serials('SN', 5), 'SHARED-1'], { file: join(home, 'line1.db') });
    const two = stationFile('line2', [...serials('TW', 3), 'SHARED-1'], { file: join(home, 'line2.db') });
    one.store.close();
    two.store.close();
    files = { line1: one.file, line2: two.file };
    for (const id of ['line1', 'line2'] as const)
      expect((await syncStation({ file: files[id], target: central.station(id) })).findings).toEqual([]);
  });
  afterAll(() => {
    central?.cluster.destroy();
    rmSync(home, { recursive: true, force: true });
  });

  it('lists and shows every station’s events in the local shapes, station by station', () => {
    for (const args of [
      ['evidence', 'list', '--format', 'jsonl'],
      ['evidence', 'list', '--format', 'jsonl', '--batch', 'B1', '--result', 'PASS'],
      ['evidence', 'show', 'SHARED-1', '--format', 'jsonl'],
    ]) {
      const local = [files.line1, files.line2].map((db) => credline([...args, '--db', db]));
      const centrally = asAuditor(args);
      expect([centrally.status, centrally.stderr]).toEqual([0, '']);
      expect(centrally.stdout).toBe(local.map((r) => r.stdout).join(''));
    }
    const limited = asAuditor(['evidence', 'list', '--format', 'json', '--limit', '3']);
    expect(JSON.parse(limited.stdout)).toHaveLength(3);
    const text = asAuditor(['evidence', 'show', 'SHARED-1']);
    expect(text.stdout.split('\n').filter((l) => l.includes('station line2'))).toHaveLength(2);
    const none = asAuditor(['evidence', 'show', 'NOPE']);
    expect([none.status, none.stderr]).toEqual([2, expect.stringMatching(/no evidence for serial NOPE\n$/)]);
    const noBatch = asAuditor(['evidence', 'list', '--batch', 'B9']);
    expect(noBatch.status).toBe(2);
    expect(noBatch.stderr).toMatch(/no batch B9 in postgresql:\/\/auditor@.*its batches: B1/);
  });

  it('counts per batch and per station, and verifies every chain', () => {
    const stats = asAuditor(['evidence', 'stats', '--format', 'json']);
    expect(stats.status).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({
      events: 20,
      checkpoints: 2,
      batches: [
        {
          batchId: 'B1',
          intents: 10,
          pass: 10,
          open: 0,
          stations: [
            { stationId: 'line1', pass: 6 },
            { stationId: 'line2', pass: 4 },
          ],
        },
      ],
    });
    expect(asAuditor(['evidence', 'stats']).stdout).toMatch(
      /batch B1: 10 device attempt\(s\): 10 PASS, 0 FAIL, 0 ABORTED, 0 open; stations line1, line2/,
    );
    const verify = asAuditor(['evidence', 'verify']);
    expect([verify.status, verify.stderr]).toEqual([0, '']);
    expect(verify.stdout).toMatch(/^station line1: 15 records, head seq 15, 1 signed checkpoint$/m);
    expect(verify.stdout).toMatch(/^OK: every chain links and hashes/m);
    const pinned = asAuditor(['evidence', 'verify', '--expect-head', '1:abc']);
    expect(pinned.status).toBe(2);
  });

  it('exports a batch as the stations’ exports concatenated, and refuses --db with --central', () => {
    const dir = tempDir();
    const local = [files.line1, files.line2].map((db, i) => {
      const out = join(dir, `local${i}.csv`);
      const run = credline([
        'evidence',
        'export',
        '--db',
        db,
        '--batch',
        'B1',
        '--format',
        'csv',
        '--out',
        out,
      ]);
      expect([run.status, run.stderr]).toEqual([0, '']);
      return readFileSync(out, 'utf8');
    });
    const out = join(dir, 'central.csv');
    const exported = asAuditor(['evidence', 'export', '--batch', 'B1', '--format', 'csv', '--out', out]);
    expect([exported.status, exported.stderr]).toEqual([0, '']);
    expect(exported.stdout).toMatch(/^exported 22 record\(s\) from 2 station\(s\)/);
    const [header, ...first] = (local[0] as string).split('\n');
    const second = (local[1] as string).split('\n').slice(1);
    expect(readFileSync(out, 'utf8')).toBe([header, ...first.slice(0, -1), ...second].join('\n'));
    const jsonl = asAuditor(['evidence', 'export', '--format', 'jsonl', '--out', join(dir, 'x.jsonl')]);
    expect([jsonl.status, jsonl.stderr]).toEqual([2, expect.stringMatching(/central export is CSV/)]);
    const both = asAuditor(['evidence', 'stats', '--db', files.line1]);
    expect([both.status, both.stderr]).toEqual([2, 'credline: give --db FILE or --central URL, not both\n']);
  });

  it('says in one line, exit 3, when the store cannot be reached or goes away mid-command', async () => {
    const down = credline(['evidence', 'stats', '--central', 'postgresql://x@127.0.0.1:1/credline'], {
      PGPASSWORD: 'p',
    });
    expect(down.status).toBe(3);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    // One connection holds the lock; another watches (a transaction sees one snapshot of pg_stat_activity).
    const owner = new pg.Client({ connectionString: central.owner.url });
    const watcher = new pg.Client({ connectionString: central.owner.url });
    await owner.connect();
    await watcher.connect();
    try {
      await owner.query('BEGIN');
      await owner.query('LOCK TABLE credline.chain_records IN ACCESS EXCLUSIVE MODE');
      const listing = credlineAsync(
        ['evidence', 'list', '--central-env', 'CENTRAL_URL'],
        central.env('auditor'),
      );
      for (;;) {
        const waiting = await watcher.query(
          `SELECT pid FROM pg_stat_activity WHERE application_name = 'credline' AND wait_event_type = 'Lock'`,
        );
        const pid = (waiting.rows[0] as { pid: number } | undefined)?.pid;
        if (pid !== undefined) {
          await watcher.query('SELECT pg_terminate_backend($1)', [pid]);
          break;
        }
      }
      const gone = await listing;
      expect(gone.status).toBe(3);
      expect(gone.stdout).toBe('');
      expect(gone.stderr).toMatch(/^credline: postgresql:\/\/auditor@[^\n]*terminat[^\n]*\n$/);
    } finally {
      await owner.query('ROLLBACK');
      await owner.end();
      await watcher.end();
    }
  });
});
