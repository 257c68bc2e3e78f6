import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyFile } from '../../src/keys/key-file.js';
import { credline } from './cli-run.js';
import { newStore, provision, tempDir, TEST_KEY_ID } from './helpers.js';

/** TEST FIXTURE ONLY: the passphrase of the throw-away station key file these tests create. */
const TEST_PASSPHRASE = 'test-fixture-passphrase';

describe('credline evidence (CLI)', () => {
  it('init creates a 0600 store; commands on a missing store exit 2 naming the file', () => {
    const file = join(tempDir(), 'new.db');
    const missing = credline(['evidence', 'stats', '--db', file]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`no evidence store at ${file}`);
    expect(existsSync(file)).toBe(false);
    const init = credline(['evidence', 'init', '--db', file, '--station', 'line1']);
    expect(init.status).toBe(0);
    expect(init.stdout).toMatch(/ready \(schema version \d+, 1 record\(s\)\)/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('signs a checkpoint with a sealed station key; verify pins it by key file or public key', async () => {
    const dir = tempDir();
    const store = newStore(join(dir, 'line1.db'));
    provision(store, 'SN-1');
    store.recordIntent({
      batchId: 'B1',
      serial: 'SN-2',
      keyId: TEST_KEY_ID,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: 'ab'.repeat(32),
      stationId: 'line1',
    });
    store.close();
    const keyFile = join(dir, 'station.credkey');
    const header = await createKeyFile(keyFile, {
      kind: 'station',
      passphrase: TEST_PASSPHRASE,
      label: 'test station',
    });
    const env = { TEST_STATION_PASSPHRASE: TEST_PASSPHRASE };
    const db = ['--db', store.file];

    const signed = credline(
      [
        'evidence',
        'checkpoint',
        ...db,
        '--station-key',
        keyFile,
        '--station',
        'line1',
        '--passphrase-env',
        'TEST_STATION_PASSPHRASE',
      ],
      env,
    );
    expect(signed.stderr).toBe('');
    const signer = `station key ${header.keyId} (public key ${header.publicKey})`;
    expect(signed.stdout).toContain('signed seq 6 ');
    expect(signed.stdout).toContain(` with ${signer}\n`);
    expect(credline(['keys', 'info', keyFile]).stdout).toContain(header.keyId); // the id operators see everywhere

    const head = credline(['evidence', 'head', ...db]).stdout.trim();
    expect(head).toMatch(/^6:[0-9a-f]{64}$/);
    const good = credline(['evidence', 'verify', ...db, '--station-key', keyFile, '--expect-head', head]);
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/^OK: .*6 chained record\(s\)/);
    expect(good.stdout).toContain(`checkpoints: 1 of 1 valid, last signed seq 6, signed by ${signer}\n`);
    expect(good.stdout).not.toContain('signer not pinned');
    const unpinned = credline(['evidence', 'verify', ...db]);
    expect(unpinned.status).toBe(0);
    expect(unpinned.stdout).toContain(
      '\n  signer not pinned: anyone able to write the file could have re-signed it; pass --station-key FILE ' +
        '(or --station-public-key HEX) to check who signed\n',
    );
    const foreign = credline([
      'evidence',
      'verify',
      ...db,
      '--station-public-key',
      '22'.repeat(32),
      '--format',
      'json',
    ]);
    expect(foreign.status).toBe(1);
    const report = JSON.parse(foreign.stdout) as { ok: boolean; problems: { message: string }[] };
    expect(report.ok).toBe(false);
    expect(report.problems[0]?.message).toContain('not by the expected station key');
    expect(header.publicKey).toBeDefined();

    const incomplete = credline(['evidence', 'list', ...db, '--incomplete', '--format', 'jsonl']);
    expect(
      incomplete.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { serial: string }).serial),
    ).toEqual(['SN-2']);
  });

  it('backs up online, refuses to overwrite, and the backup verifies', () => {
    const dir = tempDir();
    const store = newStore(join(dir, 'line1.db'));
    provision(store, 'SN-1');
    const out = join(dir, 'backup.db');
    const run = credline(['evidence', 'backup', '--db', store.file, '--out', out]); // while the store is open
    store.close();
    expect(run.status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(credline(['evidence', 'verify', '--db', out]).status).toBe(0);
    const again = credline(['evidence', 'backup', '--db', store.file, '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('export needs a known --format and prints the head and checksum', () => {
    const dir = tempDir();
    const store = newStore(join(dir, 'line1.db'));
    provision(store, 'SN-1');
    store.close();
    const bad = credline([
      'evidence',
      'export',
      '--db',
      store.file,
      '--format',
      'xlsx',
      '--out',
      join(dir, 'x'),
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/xlsx.*csv, json, jsonl|Allowed choices are csv, json, jsonl/);
    const ok = credline([
      'evidence',
      'export',
      '--db',
      store.file,
      '--format',
      'csv',
      '--out',
      join(dir, 'all.csv'),
    ]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/exported 5 record\(s\) .* chain head 5:[0-9a-f]{64}/);
  });
});
