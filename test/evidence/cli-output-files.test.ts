import { createHash } from 'node:crypto';
import { existsSync, linkSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credline } from './cli-run.js';
import { newStore, provision, tempDir } from './helpers.js';

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A closed store with one provisioned device. */
function storeFile(): string {
  const store = newStore(join(tempDir(), 'ex.db'));
  provision(store, 'SN-1');
  store.close();
  return store.file;
}

describe('evidence commands that write a file (CLI)', () => {
  it('export never writes over the evidence store, even with --force, through a symlink or a hard link', () => {
    const db = storeFile();
    const before = sha256Of(db);
    const link = join(tempDir(), 'link.db');
    symlinkSync(db, link);
    const hard = join(tempDir(), 'hard.db');
    linkSync(db, hard);
    for (const out of [db, link, hard]) {
      for (const force of [[], ['--force']]) {
        const run = credline(['evidence', 'export', '--db', db, '--format', 'jsonl', '--out', out, ...force]);
        expect(run.status).toBe(2);
        expect(run.stderr).toBe(
          `credline: refusing to write ${out}: it is the evidence store ${db}, and writing there would destroy ` +
            'the evidence (--force or not); choose another output file\n',
        );
      }
    }
    expect(sha256Of(db)).toBe(before);
    expect(existsSync(`${db}.sha256`)).toBe(false);
  });

  it("export and backup refuse the store's -wal, -shm and -journal files while a station has it open", () => {
    const store = newStore(join(tempDir(), 'open.db'));
    provision(store, 'SN-1');
    const wal = readFileSync(`${store.file}-wal`);
    try {
      for (const suffix of ['-wal', '-shm', '-journal']) {
        const out = `${store.file}${suffix}`;
        const exported = credline([
          'evidence',
          'export',
          '--db',
          store.file,
          '--format',
          'csv',
          '--out',
          out,
        ]);
        expect(exported.status).toBe(2);
        expect(exported.stderr).toContain(`it is the ${suffix.slice(1)} file of the evidence store`);
        const backup = credline(['evidence', 'backup', '--db', store.file, '--out', out]);
        expect(backup.status).toBe(2);
        expect(backup.stderr).toContain(`refusing to write ${out}`);
      }
      expect(readFileSync(`${store.file}-wal`).equals(wal)).toBe(true);
      expect(existsSync(`${store.file}-journal`)).toBe(false);
    } finally {
      store.close();
    }
  });

  it('export refuses an existing --out or .sha256 unless --force', () => {
    const db = storeFile();
    const dir = tempDir();
    const out = join(dir, 'all.jsonl');
    writeFileSync(out, 'keep me\n');
    const refused = credline(['evidence', 'export', '--db', db, '--format', 'jsonl', '--out', out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(`credline: ${out} already exists; pass --force to replace it\n`);
    expect(readFileSync(out, 'utf8')).toBe('keep me\n');
    expect(existsSync(`${out}.sha256`)).toBe(false);

    const other = join(dir, 'other.jsonl');
    writeFileSync(`${other}.sha256`, 'keep me too\n');
    const sidecar = credline(['evidence', 'export', '--db', db, '--format', 'jsonl', '--out', other]);
    expect(sidecar.status).toBe(2);
    expect(sidecar.stderr).toContain(`${other}.sha256 already exists; pass --force`);
    expect(existsSync(other)).toBe(false);

    const forced = credline(['evidence', 'export', '--db', db, '--format', 'jsonl', '--out', out, '--force']);
    expect(forced.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('"record_type":"event"');
    expect(credline(['evidence', 'export', '--help']).stdout).toContain('--force');
  });
});
