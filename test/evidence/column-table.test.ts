/**
 * A chained row is described once, in its type's column table: the DDL, the canonical field order, the record's
 * names and the export columns come from it. A column added later (`since`) is hashed only when it holds a value,
 * so the rows written before it existed keep their bytes and their hashes.
 */
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, recordHash, type FieldValue } from '../../src/evidence/chain/canonical.js';
import { addedColumnsSql, createTableSql, storedFields } from '../../src/evidence/chain/chain-sql.js';
import { column } from '../../src/evidence/chain/columns.js';
import {
  ALL_FIELDS,
  encodedKinds,
  EVENT_TYPE,
  fieldIndexes,
  kindsOf,
  recordReader,
  recordType,
} from '../../src/evidence/chain/record-types.js';
import { CSV_COLUMNS } from '../../src/evidence/export/export-csv.js';

const T = '2026-11-24T08:00:00.000Z';
const definition = {
  tag: 'credline.widget.v1',
  name: 'station',
  table: 'widgets',
  sinceVersion: 1,
} as const;
const BEFORE = recordType({
  ...definition,
  columns: [column('widget_id', 'text', 'NOT NULL'), column('recorded_at', 'time', 'NOT NULL')],
});
const AFTER = recordType({
  ...definition,
  columns: [
    column('widget_id', 'text', 'NOT NULL'),
    column('colour', 'text', "CHECK (colour <> '')", { since: 6 }),
    column('recorded_at', 'time', 'NOT NULL'),
  ],
});

function hashOf(type: typeof AFTER | typeof BEFORE, values: FieldValue[]): string {
  return recordHash(GENESIS_HASH, type.tag, encodedKinds(type, values), values);
}

describe('a column table', () => {
  it('gives the canonical order: seq, the columns the table came with, then the columns added later', () => {
    expect(AFTER.fields.map((f) => f.name)).toEqual(['seq', 'widget_id', 'recorded_at', 'colour']);
    expect(fieldIndexes(AFTER)).toEqual({ seq: 0, widget_id: 1, recorded_at: 2, colour: 3 });
  });

  it('gives the CREATE TABLE of the version that made the table, and the ALTER TABLE of a later column', () => {
    expect(createTableSql(AFTER)).toBe(createTableSql(BEFORE));
    expect(createTableSql(BEFORE)).toBe(
      'CREATE TABLE widgets (\n  seq INTEGER PRIMARY KEY CHECK (seq >= 1),\n' +
        '  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),\n' +
        '  row_hash TEXT NOT NULL CHECK (length(row_hash) = 64),\n' +
        '  widget_id TEXT NOT NULL,\n  recorded_at TEXT NOT NULL\n) STRICT',
    );
    expect(storedFields(AFTER, 5).map((f) => f.name)).toEqual(['seq', 'widget_id', 'recorded_at']);
    expect(addedColumnsSql(1)).toBe(''); // no chained table has a column added later yet
  });

  it('keeps the hash of a row written before a column was added, and hashes the column once it holds a value', () => {
    const old = hashOf(BEFORE, [1, 'W1', T]);
    expect(hashOf(AFTER, [1, 'W1', T, null])).toBe(old);
    expect(encodedKinds(AFTER, [1, 'W1', T, null])).toEqual(['int', 'text', 'time']);
    const coloured = hashOf(AFTER, [1, 'W1', T, 'red']);
    expect(coloured).not.toBe(old);
    expect(coloured).toBe(recordHash(GENESIS_HASH, AFTER.tag, kindsOf(AFTER), [1, 'W1', T, 'red']));
  });

  it('reads a stored row by name into its record, flags as booleans', () => {
    const toEvent = recordReader(EVENT_TYPE);
    const record = toEvent({ seq: 2, prev_hash: 'a', row_hash: 'b', kind: 'RESULT', readback_verified: 1 });
    expect(record).toMatchObject({
      seq: 2,
      prevHash: 'a',
      rowHash: 'b',
      kind: 'RESULT',
      readbackVerified: true,
    });
    expect(record.serial).toBeNull();
    expect(Object.keys(record)).toEqual([
      'seq',
      'prevHash',
      'rowHash',
      ...EVENT_TYPE.columns.map((c) => c.name.replace(/_([a-z0-9])/g, (_, x: string) => x.toUpperCase())),
    ]);
  });

  it('gives the export columns: every field of every type, events first', () => {
    expect(CSV_COLUMNS).toEqual([
      'record_type',
      'seq',
      'prev_hash',
      'row_hash',
      ...ALL_FIELDS.slice(1).map((f) => f.name),
    ]);
    expect(CSV_COLUMNS.slice(4, 4 + EVENT_TYPE.columns.length)).toEqual(
      EVENT_TYPE.columns.map((c) => c.name),
    );
  });
});
