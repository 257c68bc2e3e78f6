/**
 * `credline order …` as a user runs it: an order key, a signed order, show and verify (a tampered order fails), and
 * the station's signed report of a run checked against the evidence store.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { OrderLedger, readOrderFile, serialPoolOf } from '../../src/orders/index.js';
import { loadProfile } from '../../src/profiles/load-profile.js';
import { FIXTURES, runCli } from '../cli/run-cli.js';
import { tempDir } from './fixtures.js';

const SLOW = { timeout: 180_000 };

describe('credline order', SLOW, () => {
  let dir: string;
  let orderFile: string;
  const pass = ['--passphrase-env', 'OWNER_PASS'];
  const env = { OWNER_PASS: 'owner passphrase for tests', STATION_PASS: 'credline test fixture passphrase' };

  beforeAll(() => {
    dir = tempDir();
    const key = runCli(['keys', 'create', '--kind', 'order', '--out', join(dir, 'owner.ckey'), ...pass], {
      env,
    });
    expect(key.stdout).toMatch(/^created work-order signing key [0-9a-f]{16} in /);
    orderFile = join(dir, 'WO-42.order.json');
    const created = runCli(
      [
        'order',
        'create',
        '--order-key',
        join(dir, 'owner.ckey'),
        ...pass,
        '--id',
        'WO-42',
        '--product',
        'Acme Cam 2',
        '--profile',
        'credline-agent',
        '--line-key-id',
        'd9c183eb84616abf',
        '--serial-prefix',
        'KL2301-',
        '--serial-width',
        '6',
        '--serial-first',
        '100001',
        '--serial-last',
        '100010',
        '--quantity',
        '10',
        '--valid-until',
        '2099-01-01T00:00:00Z',
        '--station',
        'line1',
        '--out',
        orderFile,
      ],
      { env },
    );
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(
      /^wrote work order WO-42 \(10 units\) to .*, signed by order key [0-9a-f]{16}\n$/,
    );
  });

  it('signs an order of a serial list file (no range options)', () => {
    const list = join(dir, 'WO-43.serials');
    writeFileSync(list, 'KA1-000001\nKB1-000001\n');
    const out = join(dir, 'WO-43.order.json');
    const created = runCli(
      [
        ...['order', 'create', '--order-key', join(dir, 'owner.ckey'), ...pass, '--id', 'WO-43'],
        ...['--product', 'Acme Cam 2', '--profile', 'credline-agent', '--line-key-id', 'd9c183eb84616abf'],
        ...[
          '--serials-file',
          list,
          '--quantity',
          '2',
          '--valid-until',
          '2099-01-01T00:00:00Z',
          '--station',
          'line1',
        ],
        ...['--out', out],
      ],
      { env },
    );
    expect(created.stderr).toBe('');
    expect(readOrderFile(out).order.serials).toMatchObject({ kind: 'list', count: 2 });
  });

  it('shows and verifies the order; a tampered copy fails verification (exit 1)', () => {
    const shown = runCli(['order', 'show', orderFile]);
    expect(shown.stdout).toContain('serials:   KL2301-100001 … KL2301-100010 (10)');
    expect(shown.stdout).toContain(`profile:   credline-agent, hash ${loadProfile('credline-agent').hash}`);
    const ok = runCli(['order', 'verify', orderFile]);
    expect(ok.stdout).toMatch(/^work order WO-42: signature OK/);
    expect(ok.status).toBe(0);
    const doc = JSON.parse(readFileSync(orderFile, 'utf8')) as {
      order: { quantity: number; validUntil: string };
    };
    doc.order.validUntil = '2100-01-01T00:00:00Z';
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(doc));
    const bad = runCli(['order', 'verify', tampered]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^credline: .*signature does not verify/);
    doc.order.quantity = 0;
    writeFileSync(tampered, JSON.stringify(doc));
    const malformed = runCli(['order', 'verify', tampered]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr.trim()).toBe(
      `credline: ${tampered}: $.order.quantity: expected an integer 1..10000000, got 0`,
    );
  });

  it("signs the station's report of the run and checks every figure against the store", () => {
    const db = join(dir, 'line.db');
    const order = readOrderFile(orderFile);
    const ledger = OrderLedger.open(
      openEvidenceStore(db, { create: true }),
      order,
      serialPoolOf(order.order.serials),
    );
    for (let n = 1; n <= 3; n++) ledger.admit(`KL2301-10000${n}`, 'line1');
    ledger.settle('KL2301-100001', 'pass', true, 'line1');
    ledger.settle('KL2301-100002', 'fail', true, 'line1');
    ledger.admit('KL2301-200000', 'line1');
    const out = join(dir, 'report.json');
    const stationKey = join(FIXTURES, 'test-station-key.json');
    const made = runCli(
      [
        'order',
        'report',
        '--db',
        db,
        '--order',
        orderFile,
        '--station-key',
        stationKey,
        '--station-passphrase-env',
        'STATION_PASS',
        '--station',
        'line1',
        '--out',
        out,
      ],
      { env },
    );
    expect(made.stderr).toBe('');
    expect(made.stdout).toMatch(
      /^order WO-42: 1 PASS of 10, 1 FAIL, 1 spent, 1 refused, 8 remaining; chain head \d+;/,
    );
    const verified = runCli([
      'order',
      'verify-report',
      out,
      '--db',
      db,
      '--station-key-id',
      '21fe31dfa154a261',
    ]);
    expect(verified.stdout).toContain('signature OK');
    expect(verified.stdout).toContain('every figure matches');
    expect(verified.status).toBe(0);
    ledger.settle('KL2301-100003', 'pass', true, 'line1'); // the store moves on: the report no longer matches it
    const stale = runCli(['order', 'verify-report', out, '--db', db]);
    expect(stale.stdout).toContain('MISMATCH pass: report 1, store 2');
    expect(stale.status).toBe(1);
  });
});
