/**
 * Compliance records kept one JSON document a row (tables/index.ts `compliance_documents`): label routes, batch
 * audits, supplier statement checks, OPSS notices and their events; and files kept with their bytes and SHA-256
 * (`stored_files`). Each row is written through the evidence store's appendSealedRow, so it is sealed into the chain
 * in the same transaction; each read re-checks the row's content hash, and reports the chain seq of its seal.
 */
import { createHash } from 'node:crypto';
import { CredlineError, ExitCode } from '../errors/credline-error.js';
import type { EvidenceStore } from '../evidence/index.js';
import { canonicalHash } from './canonical-json.js';
import { COMPLIANCE_DOCUMENTS, STORED_FILES } from './tables/index.js';

export type DocumentKind = 'label-route' | 'batch-audit' | 'supplier-check' | 'opss-notice' | 'opss-event';

export interface StoredDocument<T> {
  id: number;
  kind: DocumentKind;
  productId: string;
  batchId: string | null;
  reference: string | null;
  document: T;
  contentHash: string;
  recordedAt: string;
  /** Chain seq of the row's seal. */
  seq: number | null;
}

export interface StoredFile {
  id: number;
  name: string;
  size: number;
  sha256: string;
  storedAt: string;
  seq: number | null;
}

/** Appends one document (call inside the store's transaction when it goes with other rows). */
export function appendDocument<T>(
  store: EvidenceStore,
  entry: {
    kind: DocumentKind;
    productId: string;
    batchId?: string | null;
    reference?: string | null;
    document: T;
  },
  recordedAt: string,
): StoredDocument<T> {
  const contentHash = canonicalHash(entry.document);
  const id = store.appendSealedRow(
    COMPLIANCE_DOCUMENTS,
    {
      kind: entry.kind,
      product_id: entry.productId,
      batch_id: entry.batchId ?? null,
      reference: entry.reference ?? null,
      document_json: JSON.stringify(entry.document),
      content_hash: contentHash,
      recorded_at: recordedAt,
    },
    recordedAt,
  );
  return {
    id,
    kind: entry.kind,
    productId: entry.productId,
    batchId: entry.batchId ?? null,
    reference: entry.reference ?? null,
    document: entry.document,
    contentHash,
    recordedAt,
    seq: sealSeq(store, COMPLIANCE_DOCUMENTS.table, id),
  };
}

/** Documents of a kind (for one product, or all), oldest first; each content hash re-checked. */
export function listDocuments<T>(
  store: EvidenceStore,
  kind: DocumentKind,
  filter: { productId?: string; reference?: string } = {},
): StoredDocument<T>[] {
  if (!hasTable(store, COMPLIANCE_DOCUMENTS.table)) return [];
  const rows = store.readRows(
    `SELECT d.*, s.seq AS seal_seq FROM compliance_documents d
       LEFT JOIN compliance_seals s ON s.sealed_table = 'compliance_documents' AND s.sealed_key = CAST(d.id AS TEXT)
     WHERE d.kind = ? AND (? IS NULL OR d.product_id = ?) AND (? IS NULL OR d.reference = ?) ORDER BY d.id`,
    kind,
    filter.productId ?? null,
    filter.productId ?? null,
    filter.reference ?? null,
    filter.reference ?? null,
  );
  return rows.map((row) => {
    const document = JSON.parse(String(row['document_json'])) as T;
    if (canonicalHash(document) !== row['content_hash']) {
      throw new CredlineError(
        'DOCUMENT_TAMPERED',
        `${store.file}: ${kind} ${String(row['id'])} does not match its stored content hash`,
        { exitCode: ExitCode.failed },
      );
    }
    return {
      id: Number(row['id']),
      kind,
      productId: String(row['product_id']),
      batchId: (row['batch_id'] as string | null) ?? null,
      reference: (row['reference'] as string | null) ?? null,
      document,
      contentHash: String(row['content_hash']),
      recordedAt: String(row['recorded_at']),
      seq: row['seal_seq'] === null ? null : Number(row['seal_seq']),
    };
  });
}

/** Stores a file's bytes with their SHA-256. */
export function storeFile(
  store: EvidenceStore,
  name: string,
  bytes: Uint8Array,
  storedAt: string,
): StoredFile {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const id = store.appendSealedRow(
    STORED_FILES,
    {
      name,
      size: bytes.length,
      sha256,
      content_base64: Buffer.from(bytes).toString('base64'),
      stored_at: storedAt,
    },
    storedAt,
  );
  return { id, name, size: bytes.length, sha256, storedAt, seq: sealSeq(store, STORED_FILES.table, id) };
}

/** A stored file's bytes, re-checked against its SHA-256. */
export function readStoredFile(store: EvidenceStore, id: number): { file: StoredFile; bytes: Buffer } {
  const row = store.readRow(
    `SELECT f.*, s.seq AS seal_seq FROM stored_files f
       LEFT JOIN compliance_seals s ON s.sealed_table = 'stored_files' AND s.sealed_key = CAST(f.id AS TEXT)
     WHERE f.id = ?`,
    id,
  );
  if (!row)
    throw new CredlineError('FILE_NOT_STORED', `${store.file}: no stored file ${id}`, {
      exitCode: ExitCode.usage,
    });
  const bytes = Buffer.from(String(row['content_base64']), 'base64');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== row['sha256']) {
    throw new CredlineError('FILE_TAMPERED', `${store.file}: stored file ${id} does not match its SHA-256`, {
      exitCode: ExitCode.failed,
    });
  }
  return {
    bytes,
    file: {
      id,
      name: String(row['name']),
      size: Number(row['size']),
      sha256,
      storedAt: String(row['stored_at']),
      seq: row['seal_seq'] === null ? null : Number(row['seal_seq']),
    },
  };
}

/** The chain seq of a compliance row's seal, or null (a file from before seals). */
export function sealSeq(store: EvidenceStore, table: string, key: string | number): number | null {
  if (!hasTable(store, 'compliance_seals')) return null;
  const row = store.readRow(
    'SELECT seq FROM compliance_seals WHERE sealed_table = ? AND sealed_key = ?',
    table,
    String(key),
  );
  return row ? Number(row['seq']) : null;
}

function hasTable(store: EvidenceStore, table: string): boolean {
  return (
    store.readRow(`SELECT 1 AS present FROM sqlite_schema WHERE type = 'table' AND name = ?`, table) !==
    undefined
  );
}
