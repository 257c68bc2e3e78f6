import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credline } from './cli-run.js';
import { newStore, provision, tempDir } from './helpers.js';

/** An unprivileged user (nobody) for running the CLI where permissions must apply although the tests run as root. */
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

describe('evidence backup (CLI)', () => {
  it('writes a rollback-journal file that verifies in a read-only directory', () => {
    const dir = tempDir();
    const store = newStore(join(dir, 'line1.db'));
    provision(store, 'SN-1');
    const archive = join(dir, 'archive');
    mkdirSync(archive);
    const out = join(archive, 'line1-backup.db');
    const run = credline(['evidence', 'backup', '--db', store.file, '--out', out]); // the store is in WAL mode
    store.close();
    expect(run.status).toBe(0);
    const header = readFileSync(out).subarray(18, 20);
    expect([...header]).toEqual([1, 1]); // file format write/read version 1: rollback journal, not WAL (2)
    expect(readdirSync(archive)).toEqual(['line1-backup.db']);

    if (isRoot) for (const path of [dir, archive, out]) chownSync(path, NOBODY, NOBODY);
    chmodSync(archive, 0o555);
    try {
      const verify = spawnSync(process.execPath, ['bin/credline.js', 'evidence', 'verify', '--db', out], {
        encoding: 'utf8',
        ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
      });
      expect(verify.stderr).toBe('');
      expect(verify.stdout).toMatch(/^OK: /);
      expect(verify.status).toBe(0);
    } finally {
      chmodSync(archive, 0o755);
    }
  });
});
