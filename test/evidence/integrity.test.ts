import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/evidence/verify/verify.js';
import { newStore, provision, tempDir } from './helpers.js';

/** A store whose serial index lost an entry (one key byte changed by hand): corruption the chain walk never reads. */
function storeWithBrokenIndex(): string {
  const file = join(tempDir(), 'broken.db');
  const store = newStore(file);
  for (let n = 1; n <= 20; n++) provision(store, `SN-${n}`);
  store.close(); // last connection: the WAL is checkpointed into the file
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const { rootpage } = db
    .prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'provisioning_events_serial'")
    .get() as { rootpage: number };
  db.close();
  const fd = openSync(file, 'r+');
  const page = Buffer.alloc(pageSize);
  readSync(fd, page, 0, pageSize, (rootpage - 1) * pageSize);
  const at = page.indexOf('SN-5');
  expect(at).toBeGreaterThan(0);
  page[at + 3] = 'z'.charCodeAt(0);
  writeSync(fd, page, 0, pageSize, (rootpage - 1) * pageSize);
  closeSync(fd);
  return file;
}

describe('evidence verify: SQLite integrity', () => {
  it('reports integrity_check problems first, before the chain, and fails', () => {
    const file = storeWithBrokenIndex();
    const report = verifyEvidence(file);
    expect(report.ok).toBe(false);
    expect(report.records).toBe(43);
    expect(report.problems[0]?.kind).toBe('integrity');
    expect(report.problems[0]?.message).toMatch(
      /^SQLite integrity_check: row \d+ missing from index provisioning_events_serial$/,
    );
    expect(report.problems.filter((p) => p.kind !== 'integrity')).toEqual([]);
  });

  it('keeps at most maxProblems, integrity problems first, and says more were found', () => {
    const file = storeWithBrokenIndex();
    const all = verifyEvidence(file).problems.filter((p) => p.kind === 'integrity');
    expect(all.length).toBeGreaterThan(1);
    const report = verifyEvidence(file, { maxProblems: 1 });
    expect(report.problems).toEqual([all[0]]);
    expect(report.truncatedProblems).toBe(true);
  });

  it('finds a sound file sound', () => {
    const file = join(tempDir(), 'sound.db');
    const store = newStore(file);
    provision(store, 'SN-1');
    store.close();
    expect(verifyEvidence(file)).toMatchObject({ ok: true, problems: [] });
  });
});

describe('evidence verify: a file SQLite cannot read through', () => {
  it('reports the damage as a failed verification, not an internal error', () => {
    const file = join(tempDir(), 'zeroed.db');
    const store = newStore(file);
    for (let n = 1; n <= 5; n++) provision(store, `SN-${n}`);
    store.close();
    const db = new Database(file, { readonly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const { rootpage } = db
      .prepare(
        "SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND rootpage > 1 ORDER BY rootpage LIMIT 1",
      )
      .get() as { rootpage: number };
    db.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, (rootpage - 1) * pageSize);
    closeSync(fd);
    const report = verifyEvidence(file);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      { kind: 'integrity', message: expect.stringMatching(/^SQLite cannot read the file \(.*malformed.*\)/) },
    ]);
  });
});
