import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credline, type CliResult } from './cli-run.js';
import { newStore, tempDir } from './helpers.js';

/** An unprivileged user (nobody): permissions only apply to the CLI run as someone else when the tests run as root. */
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** Runs the CLI as a user the permission bits apply to (nobody when the tests run as root). */
function credlineUnprivileged(args: readonly string[]): CliResult {
  const run = spawnSync(process.execPath, ['bin/credline.js', ...args], {
    encoding: 'utf8',
    ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Makes `paths` the unprivileged user's own (when the tests run as root). */
function giveToUnprivileged(...paths: string[]): void {
  if (isRoot) for (const path of paths) chownSync(path, NOBODY, NOBODY);
}

function storeIn(dir: string): string {
  const store = newStore(join(dir, 'line1.db'));
  store.close();
  return store.file;
}

describe('file system errors of the evidence commands (CLI)', () => {
  it('name a missing directory and say what to do', () => {
    const missing = join(tempDir(), 'nonexist');
    const db = storeIn(tempDir());
    const cases: [string[], string][] = [
      [
        ['evidence', 'init', '--db', join(missing, 'x.db')],
        `cannot create the evidence store ${missing}/x.db: no such directory ${missing}; create the directory first, or choose another --db path`,
      ],
      [
        ['evidence', 'stats', '--db', join(missing, 'x.db')],
        `no evidence store at ${missing}/x.db: no such directory ${missing}; check the --db path`,
      ],
      [
        ['evidence', 'export', '--db', db, '--format', 'csv', '--out', join(missing, 'x.csv')],
        `cannot write ${missing}/x.csv: no such directory ${missing}; choose another output path`,
      ],
      [
        ['evidence', 'backup', '--db', db, '--out', join(missing, 'b.db')],
        `cannot write ${missing}/b.db: no such directory ${missing}; choose another output path`,
      ],
    ];
    for (const [args, message] of cases) {
      const run = credline(args);
      expect(run.stderr).toBe(`credline: ${message}\n`);
      expect(run.status).toBe(2);
    }
  });

  it('say that a --db directory is a directory, not a disk I/O error', () => {
    const dir = tempDir();
    for (const command of ['list', 'verify', 'init']) {
      const run = credline(['evidence', command, '--db', dir]);
      expect(run.stderr).toBe(
        `credline: cannot open the evidence store ${dir}: it is a directory; give the store's file, e.g. --db ${dir}/credline.db\n`,
      );
      expect(run.status).toBe(2);
    }
  });

  it('say permission denied for a store the user cannot read, not "create one"', () => {
    const dir = tempDir();
    const db = storeIn(dir);
    if (!isRoot) chmodSync(dir, 0o000); // as root the directory stays root's own 0700: nobody cannot enter it
    try {
      const run = credlineUnprivileged(['evidence', 'list', '--db', db]);
      expect(run.stderr).toBe(
        `credline: cannot open the evidence store ${db}: permission denied; ask for access to the file and its ` +
          'directory, or run as the user that owns them\n',
      );
      expect(run.status).toBe(2);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('say permission denied when an existing --out cannot be replaced', () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    mkdirSync(data);
    const db = storeIn(data);
    const out = join(data, 'all.csv');
    writeFileSync(out, 'read-only\n', { mode: 0o444 });
    giveToUnprivileged(dir, data, db, out);
    const run = credlineUnprivileged([
      'evidence',
      'export',
      '--db',
      db,
      '--format',
      'csv',
      '--out',
      out,
      '--force',
    ]);
    expect(run.stderr).toBe(`credline: cannot write ${out}: permission denied\n`);
    expect(run.status).toBe(2);
  });
});
