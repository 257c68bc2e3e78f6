/**
 * The central compliance chain in SQL: what compliance commands record centrally (statements, label routes,
 * product records) is sealed in `credline.compliance_chain`, one row per document, each row's hash computed by the
 * server over the previous row's hash and the document's canonical fields (docs/central.md), and its head signed
 * by a named central key (`credline.compliance_checkpoints`, keys in `credline.central_keys`).
 */
import { canonicalFieldSql, uint32be } from './chain-sql.js';

/** The type tag of a compliance chain row (hashed first, as the station chains' tags are). */
export const DOCUMENT_SEAL_TAG = 'credline.central-document.v1';

/** The chain row's hashed fields, in canonical order. */
export const DOCUMENT_SEAL_FIELDS = [
  ['seq', 'int'],
  ['document_id', 'int'],
  ['kind', 'text'],
  ['document_key', 'text'],
  ['sha256', 'text'],
  ['recorded_by', 'text'],
  ['recorded_at', 'text'],
] as const;

/** SQL computing the row_hash of the compliance chain row aliased `alias` (lowercase hex). */
export function documentRowHashSql(alias: string): string {
  const tag = Buffer.concat([
    Buffer.from([1]),
    uint32be(Buffer.byteLength(DOCUMENT_SEAL_TAG)),
    Buffer.from(DOCUMENT_SEAL_TAG),
  ]);
  const fields = DOCUMENT_SEAL_FIELDS.map(([name, kind]) =>
    canonicalFieldSql(kind === 'int' ? `${alias}.${name}::text` : `${alias}.${name}`),
  );
  return `encode(sha256(decode(${alias}.prev_hash, 'hex') || '\\x${tag.toString('hex')}'::bytea || ${fields.join(' || ')}), 'hex')`;
}

/** SQL of a document body's SHA-256: over its jsonb text, which PostgreSQL renders one way for one value. */
export function bodyHashSql(body: string): string {
  return `encode(sha256(convert_to(${body}::text, 'UTF8')), 'hex')`;
}
