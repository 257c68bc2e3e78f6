/**
 * What compliance commands record centrally (statements, label routes, product records): each document sealed by
 * the server as the next row of the compliance chain (migration 2's record_document), the chain's head signed by a
 * named central key (an Ed25519 key, `credline keys create --kind station`, registered with `central key add`), and
 * the checks `verify` makes of all of it.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { usageError } from '../errors/credline-error.js';
import { checkpointSignatureValid, signCheckpoint, type CheckpointRecord } from '../evidence/index.js';
import { SCHEMA } from './chain-sql.js';
import { centralError, connectCentral, describeCentral, type CentralTarget } from './connect.js';
import type { CentralReader, CentralVerifyProblem } from './central-reader.js';
import { bodyHashSql, documentRowHashSql } from './document-chain-sql.js';

const GENESIS = '0'.repeat(64);

export interface SealedDocument {
  documentId: number;
  /** Its row in the compliance chain. */
  seq: number;
  sha256: string;
  rowHash: string;
  recordedAt: string;
  /** False when the same document (kind, key and body) was recorded before. */
  added: boolean;
}

export interface StoredDocument<T = unknown> {
  documentId: number;
  kind: string;
  key: string;
  body: T;
  sha256: string;
  recordedBy: string;
  recordedAt: string;
  seq: number | null;
}

export interface CentralKey {
  name: string;
  publicKey: string;
  label: string | null;
  registeredAt: string;
}

export interface ComplianceCheckpoint {
  id: number;
  headSeq: number;
  headHash: string;
  keyName: string;
  publicKey: string;
}

export interface ComplianceChainReport {
  records: number;
  headSeq: number;
  checkpoints: number;
  /** Chain rows after the last valid checkpoint. */
  unsigned: number;
  signers: string[];
}

/** Records a document (its body as JSON) and returns its seal; recording the same document again changes nothing. */
export async function recordCentralDocument(
  reader: CentralReader,
  document: { kind: string; key: string; body: unknown },
): Promise<SealedDocument> {
  const rows = await reader.query<{
    document_id: number;
    seq: number;
    sha256: string;
    row_hash: string;
    recorded_at: string;
    added: boolean;
  }>(`SELECT * FROM ${SCHEMA}.record_document($1, $2, $3::jsonb)`, [
    document.kind,
    document.key,
    JSON.stringify(document.body),
  ]);
  const r = rows[0] as (typeof rows)[number];
  return {
    documentId: r.document_id,
    seq: r.seq,
    sha256: r.sha256,
    rowHash: r.row_hash,
    recordedAt: r.recorded_at,
    added: r.added,
  };
}

/** Documents of a kind (and key), oldest first. */
export async function centralDocuments<T>(
  reader: CentralReader,
  kind: string,
  key?: string,
): Promise<StoredDocument<T>[]> {
  const values: unknown[] = [kind];
  const byKey = key === undefined ? '' : ` AND d.document_key = $${values.push(key)}`;
  const rows = await reader.query<{
    id: number;
    kind: string;
    document_key: string;
    body: T;
    sha256: string;
    recorded_by: string;
    recorded_at: Date;
    seq: number | null;
  }>(
    `SELECT d.id, d.kind, d.document_key, d.body, d.sha256, d.recorded_by, d.recorded_at, c.seq FROM ${SCHEMA}.compliance_documents d
     LEFT JOIN ${SCHEMA}.compliance_chain c ON c.document_id = d.id WHERE d.kind = $1${byKey} ORDER BY d.id`,
    values,
  );
  return rows.map((r) => ({
    documentId: r.id,
    kind: r.kind,
    key: r.document_key,
    body: r.body,
    sha256: r.sha256,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at.toISOString(),
    seq: r.seq,
  }));
}

/**
 * Signs the compliance chain's head with a central key (its 32-byte Ed25519 seed), which must be registered; the
 * server refuses a key registered under no name or another one.
 */
export async function signComplianceHead(
  reader: CentralReader,
  secret: Uint8Array,
  reason: string,
): Promise<ComplianceCheckpoint> {
  const publicKey = Buffer.from(ed25519.getPublicKey(secret)).toString('hex');
  const keyName = await centralKeyName(reader, secret);
  const head = (
    await reader.query<{ seq: number; row_hash: string }>(
      `SELECT seq, row_hash FROM ${SCHEMA}.compliance_chain ORDER BY seq DESC LIMIT 1`,
    )
  )[0] ?? { seq: 0, row_hash: GENESIS };
  const signed = signCheckpoint(secret, {
    headSeq: head.seq,
    headHash: head.row_hash,
    stationId: centralSigner(keyName),
    reason,
    createdAt: new Date().toISOString(),
  });
  const rows = await reader.query<{ id: number }>(
    `INSERT INTO ${SCHEMA}.compliance_checkpoints (head_seq, head_hash, key_name, public_key, reason, created_at,
       signature) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      signed.headSeq,
      signed.headHash,
      keyName,
      signed.publicKey,
      signed.reason,
      signed.createdAt,
      signed.signature,
    ],
  );
  return {
    id: (rows[0] as { id: number }).id,
    headSeq: signed.headSeq,
    headHash: signed.headHash,
    keyName,
    publicKey,
  };
}

/** The name a central key (its Ed25519 seed) is registered under, or a refusal saying how to register it. */
export async function centralKeyName(reader: CentralReader, secret: Uint8Array): Promise<string> {
  const publicKey = Buffer.from(ed25519.getPublicKey(secret)).toString('hex');
  const key = (
    await reader.query<{ key_name: string }>(
      `SELECT key_name FROM ${SCHEMA}.central_keys WHERE public_key = $1`,
      [publicKey],
    )
  )[0];
  if (key === undefined)
    throw usageError(
      'CENTRAL_KEY_UNKNOWN',
      `${describeCentral(reader.target)}: the key with public key ${publicKey} is not a registered central key ` +
        '(credline central key add --name NAME --key FILE, as the database owner)',
    );
  return key.key_name;
}

/** The signer named in a compliance checkpoint's signed message: the central key's name. */
function centralSigner(keyName: string): string {
  return `central:${keyName}`;
}

/** Registers a named central key (as the database owner); the same name and key again changes nothing. */
export async function registerCentralKey(
  target: CentralTarget,
  key: { name: string; publicKey: string; label?: string | undefined },
): Promise<{ key: CentralKey; added: boolean }> {
  const client = await connectCentral(target);
  try {
    const inserted = await client.query(
      `INSERT INTO ${SCHEMA}.central_keys (key_name, public_key, label) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [key.name, key.publicKey, key.label ?? null],
    );
    const stored = (
      await client.query<{ key_name: string; public_key: string; label: string | null; registered_at: Date }>(
        `SELECT * FROM ${SCHEMA}.central_keys WHERE key_name = $1 OR public_key = $2 ORDER BY key_name = $1 DESC`,
        [key.name, key.publicKey],
      )
    ).rows[0];
    if (stored === undefined || stored.key_name !== key.name || stored.public_key !== key.publicKey)
      throw usageError(
        'CENTRAL_KEY_TAKEN',
        stored?.key_name === key.name
          ? `central key ${key.name} is registered with another public key (${stored.public_key})`
          : `that public key is registered as central key ${stored?.key_name ?? '?'}`,
      );
    return {
      key: {
        name: stored.key_name,
        publicKey: stored.public_key,
        label: stored.label,
        registeredAt: stored.registered_at.toISOString(),
      },
      added: inserted.rowCount === 1,
    };
  } catch (error) {
    throw centralError(target, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function listCentralKeys(reader: CentralReader): Promise<CentralKey[]> {
  const rows = await reader.query<{
    key_name: string;
    public_key: string;
    label: string | null;
    registered_at: Date;
  }>(`SELECT * FROM ${SCHEMA}.central_keys ORDER BY key_name`);
  return rows.map((r) => ({
    name: r.key_name,
    publicKey: r.public_key,
    label: r.label,
    registeredAt: r.registered_at.toISOString(),
  }));
}

/**
 * Re-checks the compliance chain: every row's hash and link (in the server), that each row seals its document as
 * stored (kind, key, the SHA-256 of the body), that no document is unsealed, and every checkpoint's signature
 * against its named key.
 */
export async function verifyComplianceChain(
  reader: CentralReader,
  problems: CentralVerifyProblem[],
): Promise<ComplianceChainReport> {
  const at = (seq: number | null, problem: string): void =>
    void problems.push({ stationId: 'compliance', seq, problem });
  const broken = await reader.query<{ seq: number; problem: string }>(
    `SELECT seq, CASE
         WHEN row_hash IS DISTINCT FROM computed THEN 'compliance chain: row_hash is not the hash of the row'
         WHEN seq <> coalesce(lag_seq, 0) + 1 THEN 'compliance chain: a gap before this seq'
         WHEN prev_hash <> coalesce(lag_hash, '${GENESIS}') THEN 'compliance chain: prev_hash does not link to the previous row'
         WHEN d.id IS NULL OR d.kind <> x.kind OR d.document_key <> x.document_key OR d.sha256 <> x.sha256
           THEN format('compliance chain: document %s is not the document this row sealed', x.document_id)
         ELSE format('compliance document %s: its body is not the one sealed (SHA-256 differs)', x.document_id) END
       AS problem
     FROM (SELECT c.*, ${documentRowHashSql('c')} AS computed, lag(c.seq) OVER w AS lag_seq,
             lag(c.row_hash) OVER w AS lag_hash
           FROM ${SCHEMA}.compliance_chain c WINDOW w AS (ORDER BY c.seq)) x
     LEFT JOIN ${SCHEMA}.compliance_documents d ON d.id = x.document_id
     WHERE row_hash IS DISTINCT FROM computed OR seq <> coalesce(lag_seq, 0) + 1
        OR prev_hash <> coalesce(lag_hash, '${GENESIS}') OR d.id IS NULL OR d.kind <> x.kind
        OR d.document_key <> x.document_key OR d.sha256 <> x.sha256 OR d.sha256 <> ${bodyHashSql('d.body')}
     ORDER BY seq LIMIT 100`,
  );
  for (const b of broken) at(b.seq, b.problem);
  const unsealed = await reader.query<{ id: number }>(
    `SELECT d.id FROM ${SCHEMA}.compliance_documents d
     WHERE NOT EXISTS (SELECT 1 FROM ${SCHEMA}.compliance_chain c WHERE c.document_id = d.id) ORDER BY d.id LIMIT 100`,
  );
  for (const u of unsealed) at(null, `compliance document ${u.id} is not sealed in the compliance chain`);
  const head = (
    await reader.query<{ records: number; head: number | null }>(
      `SELECT count(*)::bigint AS records, max(seq) AS head FROM ${SCHEMA}.compliance_chain`,
    )
  )[0] ?? { records: 0, head: null };
  const checkpoints = await reader.query<{
    id: number;
    head_seq: number;
    head_hash: string;
    key_name: string;
    public_key: string;
    reason: string;
    created_at: string;
    signature: string;
    registered: string | null;
    stored: string | null;
  }>(
    `SELECT p.*, k.public_key AS registered, c.row_hash AS stored FROM ${SCHEMA}.compliance_checkpoints p
     LEFT JOIN ${SCHEMA}.central_keys k ON k.key_name = p.key_name
     LEFT JOIN ${SCHEMA}.compliance_chain c ON c.seq = p.head_seq ORDER BY p.id`,
  );
  let lastSigned = 0;
  const signers = new Set<string>();
  for (const c of checkpoints) {
    const record: CheckpointRecord = {
      id: c.id,
      headSeq: c.head_seq,
      headHash: c.head_hash,
      stationId: centralSigner(c.key_name),
      publicKey: c.public_key,
      reason: c.reason,
      createdAt: c.created_at,
      signature: c.signature,
    };
    if (c.public_key !== c.registered)
      at(c.head_seq, `compliance checkpoint ${c.id} is not signed by central key ${c.key_name}`);
    else if (!checkpointSignatureValid(record))
      at(c.head_seq, `compliance checkpoint ${c.id}: the signature does not verify`);
    else if (c.head_seq > 0 && c.stored !== c.head_hash)
      at(c.head_seq, `compliance checkpoint ${c.id} names a head that is not stored`);
    else {
      lastSigned = Math.max(lastSigned, c.head_seq);
      signers.add(c.key_name);
    }
  }
  const headSeq = head.head ?? 0;
  return {
    records: head.records,
    headSeq,
    checkpoints: checkpoints.length,
    unsigned: headSeq - lastSigned,
    signers: [...signers],
  };
}
