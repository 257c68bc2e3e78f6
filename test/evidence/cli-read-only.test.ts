import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ChainWriter } from '../../src/evidence/chain/chain-writer.js';
import { LATEST_VERSION, migrateToLatest } from '../../src/evidence/chain/migrations.js';
import { STATION_TYPE } from '../../src/evidence/chain/record-types.js';
import { credline } from './cli-run.js';
import { tempDir } from './helpers.js';

function fingerprintOf(file: string): { sha256: string; mode: number } {
  return {
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
    mode: statSync(file).mode & 0o777,
  };
}

/** A store as an older credline left it: migrations 1..version, one station record. */
function storeAtVersion(version: number): string {
  const file = join(tempDir(), `v${version}.db`);
  closeSync(openSync(file, 'w', 0o600));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrateToLatest(db, file, version);
  const chain = new ChainWriter(db);
  chain.write(() =>
    chain.append(STATION_TYPE, { station_id: 'line1', label: null, recorded_at: '2026-01-05T10:00:00.000Z' }),
  );
  db.close();
  return file;
}

const READERS = [
  ['evidence', 'list'],
  ['evidence', 'show', 'SN-1'],
  ['evidence', 'head'],
  ['evidence', 'stats'],
  ['evidence', 'verify'],
];

describe('read-only evidence commands (CLI)', () => {
  it('refuse an empty file or a non-credline SQLite file and leave it byte-identical', () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '', { mode: 0o644 });
    const foreign = join(dir, 'foreign.db');
    const db = new Database(foreign);
    db.exec('CREATE TABLE notes (text TEXT)');
    db.close();
    const zeroVersion = join(dir, 'zero.db');
    const zero = new Database(zeroVersion); // a valid SQLite header, user_version 0, no tables
    zero.exec('CREATE TABLE t (x); DROP TABLE t;');
    zero.close();
    for (const [file, why] of [
      [empty, 'it is empty'],
      [foreign, "it is another program's SQLite database"],
      [zeroVersion, 'it is empty'],
    ] as const) {
      const before = fingerprintOf(file);
      const export_ = ['evidence', 'export', '--format', 'csv', '--out', `${file}.csv`];
      for (const command of file === empty ? [...READERS, export_] : READERS.slice(0, 3)) {
        const run = credline([...command, '--db', file]);
        expect(run.stderr, command.join(' ')).toBe(
          `credline: ${file}: not a credline evidence store (${why}); check the --db path\n`,
        );
        expect(run.status).toBe(2);
        expect(fingerprintOf(file)).toEqual(before);
      }
    }
  });

  it('read an older schema without migrating it, and say how to migrate when a query needs a newer table', () => {
    const v3 = storeAtVersion(3);
    const before = fingerprintOf(v3);
    const stats = credline(['evidence', 'stats', '--db', v3, '--format', 'json']);
    expect(stats.stderr).toBe('');
    expect(JSON.parse(stats.stdout)).toMatchObject({ schemaVersion: 3, stations: 1 });
    expect(credline(['evidence', 'head', '--db', v3]).stdout).toMatch(/^1:[0-9a-f]{64}\n$/);
    expect(credline(['evidence', 'list', '--db', v3]).status).toBe(0);
    expect(fingerprintOf(v3)).toEqual(before);

    const v1 = storeAtVersion(1);
    const old = credline(['evidence', 'stats', '--db', v1]);
    expect(old.status).toBe(2);
    expect(old.stderr).toBe(
      `credline: ${v1}: this store is at schema version 1 (this credline writes ${LATEST_VERSION}) and lacks what ` +
        `this command reads; open it with a writing command (e.g. credline evidence init --db ${v1}) to migrate\n`,
    );
  });

  it('backup copies an older store as it is, without migrating the original', () => {
    const v3 = storeAtVersion(3);
    const before = fingerprintOf(v3);
    const out = join(tempDir(), 'copy.db');
    expect(credline(['evidence', 'backup', '--db', v3, '--out', out]).status).toBe(0);
    expect(fingerprintOf(v3)).toEqual(before);
    const copy = new Database(out, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(3);
    copy.close();
  });
});
