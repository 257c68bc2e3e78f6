/**
 * What other modules keep in the evidence database: the compliance tables, declared by compliance (their schema
 * steps and seal layouts). They are part of every store's one migration sequence and of what verify checks, so
 * they are known here statically, not registered at run time: a file then migrates and verifies the same whoever
 * opens it, a station that never loads compliance code included.
 */
import { COMPLIANCE_MIGRATIONS, COMPLIANCE_TABLES } from '../../compliance/tables/index.js';
import type { SealedTable } from './seals.js';

/** Every sealed table, in the order verify checks them (and migration 5 sealed older rows). */
export const SEALED_TABLES: readonly SealedTable[] = COMPLIANCE_TABLES;

/** The schema steps other modules own, each at its place (version) in the store's migration sequence. */
export const OWNED_MIGRATIONS: readonly {
  version: number;
  description: string;
  sql: string;
  appendOnly: readonly string[];
}[] = COMPLIANCE_MIGRATIONS;

/** The sealed tables a store at schema `version` has. */
export function sealedTablesAt(version: number): readonly SealedTable[] {
  return SEALED_TABLES.filter((table) => table.sinceVersion <= version);
}
