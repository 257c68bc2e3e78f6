/**
 * What other modules keep in the evidence database: the compliance tables, declared by compliance (their schema
 * steps and seal layouts), and the work-order tables, declared by orders (the ledger append-only and not sealed;
 * the order reports sealed). They are part of every store's one migration sequence and of what verify checks, so
 * they are known here statically, not registered at run time: a file then migrates and verifies the same whoever
 * opens it, a station that never loads compliance code included.
 */
import { COMPLIANCE_MIGRATIONS, COMPLIANCE_TABLES } from '../../compliance/tables/index.js';
import { ORDER_MIGRATIONS, ORDER_SEALED_TABLES } from '../../orders/tables/index.js';
import type { FieldKind } from './canonical.js';

/** A table whose rows are sealed: declared by the module that owns it. */
export interface SealedTable {
  readonly table: string;
  /** The tag written first in the row's canonical bytes. */
  readonly tag: string;
  /** The column that identifies a row: its value, as text, is the seal's `sealed_key`. */
  readonly key: string;
  /** Every column, in canonical order. */
  readonly columns: readonly (readonly [name: string, kind: FieldKind])[];
  /** The evidence schema version that created the table. */
  readonly sinceVersion: number;
  /** Which row this is, in words, for reports. */
  describe(row: Readonly<Record<string, unknown>>): string;
}

/** Every sealed table, in the order verify checks them (and migration 5 sealed older rows). */
export const SEALED_TABLES: readonly SealedTable[] = [...COMPLIANCE_TABLES, ...ORDER_SEALED_TABLES];

/** The schema steps other modules own, each at its place (version) in the store's migration sequence. */
export const OWNED_MIGRATIONS: readonly {
  version: number;
  description: string;
  sql: string;
  appendOnly: readonly string[];
}[] = [...COMPLIANCE_MIGRATIONS, ...ORDER_MIGRATIONS];

/** The sealed tables a store at schema `version` has. */
export function sealedTablesAt(version: number): readonly SealedTable[] {
  return SEALED_TABLES.filter((table) => table.sinceVersion <= version);
}
