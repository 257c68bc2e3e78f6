import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credline } from './cli-run.js';
import { newStore, PROFILE_HASH, provision, tempDir } from './helpers.js';

describe('--batch of evidence list and export (CLI)', () => {
  it('refuses a batch the store does not have, listing the batches it has (at most 10)', () => {
    const store = newStore(join(tempDir(), 'line1.db'));
    provision(store, 'SN-1');
    for (let i = 2; i <= 12; i++) {
      store.ensureBatch({
        batchId: `B${i}`,
        productType: 'camera',
        profileId: 'acme-cam',
        profileRevision: 3,
        profileHash: PROFILE_HASH,
        supportEndDate: '2030-12-31',
      });
    }
    store.close();
    const out = join(tempDir(), 'nope.csv');
    const expected =
      `credline: no batch NOPE in ${store.file} (its batches: B1, B2, B3, B4, B5, B6, B7, B8, B9, B10 and 2 more); ` +
      'check --batch\n';
    const list = credline(['evidence', 'list', '--db', store.file, '--batch', 'NOPE']);
    expect(list.stderr).toBe(expected);
    expect(list.status).toBe(2);
    const exported = credline([
      'evidence',
      'export',
      '--db',
      store.file,
      '--format',
      'csv',
      '--out',
      out,
      '--batch',
      'NOPE',
    ]);
    expect(exported.stderr).toBe(expected);
    expect(exported.status).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(credline(['evidence', 'list', '--db', store.file, '--batch', 'B1']).stdout).toContain('SN-1');
  });

  it('says when the store has no batch at all', () => {
    const file = join(tempDir(), 'empty.db');
    expect(credline(['evidence', 'init', '--db', file]).status).toBe(0);
    const list = credline(['evidence', 'list', '--db', file, '--batch', 'B1']);
    expect(list.stderr).toBe(`credline: no batch B1 in ${file} (it has no batch yet); check --batch\n`);
    expect(list.status).toBe(2);
  });
});
