/**
 * Compliance records kept in the evidence database (their tables: tables/index.ts): product records by revision
 * (with their scope notes), which product each batch is, and every statement of compliance issued with its content
 * hash, date of issue, retain-until date and the chain head it was issued against. The tables are append-only
 * (triggers refuse UPDATE and DELETE; `evidence verify` checks the triggers): a change is a new row. Every row is
 * written through the evidence store's appendSealedRow, which seals it into the hash chain in the same transaction,
 * so an edit made with the triggers dropped is still found by `evidence verify`.
 */
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import {
  computeRetainUntil,
  openEvidenceStore,
  readEvidenceStore,
  RECORD_TYPES,
  type BatchRecord,
  type ChainHead,
  type EvidenceStore,
} from '../evidence/index.js';
import { batchSupport } from './batch-support.js';
import { canonicalHash } from './canonical-json.js';
import type { ProductRecord } from './product-record.js';
import { productRecordHash, validateProductRecord } from './product-validate.js';
import { assertSupportPeriodNotShortened } from './support-period.js';
import { assessScope } from './scope.js';
import { assertFirstSupplyKept, fixedFirstSupplyInStore } from './support-history.js';
import type { StatementOfCompliance } from './statement.js';
import { BATCH_PRODUCTS, ISSUED_STATEMENTS, PRODUCT_RECORDS } from './tables/index.js';
import { issuesError } from './validation-issue.js';
import { assertBatchFits } from './batch-fit.js';

export interface StoredProductRevision {
  productId: string;
  revision: number;
  recordHash: string;
  supportEndDate: string | null;
  scopeOutcome: string | null;
  recordedAt: string;
}

export interface IssuedStatementRecord {
  id: number;
  batchId: string;
  productId: string;
  productRevision: number;
  statement: StatementOfCompliance;
  contentHash: string;
  dateOfIssue: string;
  /** As computed when issued. */
  retainUntil: string;
  chainHead: ChainHead;
  issuedAt: string;
}

type Row = Record<string, unknown>;

/** The hash a statement is recorded under: SHA-256 of its canonical JSON. */
export function statementContentHash(statement: StatementOfCompliance): string {
  return canonicalHash(statement);
}

/**
 * Opens the compliance tables of an evidence database (migrating it, unless read-only).
 *
 * @example
 * const store = openComplianceStore('line1.db');
 * store.importProductRecord(record);
 */
export function openComplianceStore(
  file: string,
  options: { readonly?: boolean; now?: () => Date } = {},
): ComplianceStore {
  return new ComplianceStore(openEvidenceStore(file, { readonly: options.readonly ?? false }), options.now);
}

/**
 * Runs read-only compliance queries: the file is opened read-only (never created or migrated); a store whose older
 * schema lacks what is read says how to migrate it.
 *
 * @example const entries = readComplianceStore('line1.db', (store) => listRetention(store));
 */
export function readComplianceStore<T>(file: string, work: (store: ComplianceStore) => T): T {
  return readEvidenceStore(file, (evidence) => work(new ComplianceStore(evidence)));
}

export class ComplianceStore {
  readonly file: string;
  /** The evidence store the compliance tables live in: its queries, and the seam compliance writes through. */
  readonly evidence: EvidenceStore;
  readonly #now: () => Date;

  constructor(evidence: EvidenceStore, now: () => Date = () => new Date()) {
    this.evidence = evidence;
    this.file = evidence.file;
    this.#now = now;
  }

  close(): void {
    this.evidence.close();
  }

  /** Runs `work` in one IMMEDIATE transaction: its reads and sealed appends commit together, or not at all. */
  #write<T>(work: () => T): T {
    return this.evidence.transaction(work);
  }

  #get(sql: string, ...params: unknown[]): Row | undefined {
    return this.evidence.readRow(sql, ...params);
  }

  #all(sql: string, ...params: unknown[]): Row[] {
    return this.evidence.readRows(sql, ...params);
  }

  /**
   * Stores a product record revision. Storing the same revision again is a no-op; a different record under an
   * existing revision, a revision not above the latest, or a support period shorter than any stored one is refused.
   */
  importProductRecord(record: ProductRecord): { revision: number; hash: string; stored: boolean } {
    const result = validateProductRecord(record);
    if (result.issues) throw issuesError('PRODUCT_RECORD_INVALID', `product ${record.id}`, result.issues);
    const hash = productRecordHash(record);
    return this.#write(() => {
      const same = this.#get(
        'SELECT record_hash FROM product_records WHERE product_id = ? AND revision = ?',
        record.id,
        record.revision,
      ) as { record_hash: string } | undefined;
      if (same) {
        if (same.record_hash === hash) return { revision: record.revision, hash, stored: false };
        throw usageError(
          'PRODUCT_REVISION_EXISTS',
          `product ${record.id} revision ${record.revision} is already stored with different content: ` +
            'raise $.revision for a change (stored revisions never change)',
        );
      }
      const latest = this.#get(
        'SELECT max(revision) AS revision, max(support_end_date) AS support FROM product_records WHERE product_id = ?',
        record.id,
      ) as { revision: number | null; support: string | null };
      if (latest.revision !== null && record.revision < latest.revision) {
        throw usageError(
          'PRODUCT_REVISION_OLD',
          `product ${record.id}: revision ${record.revision} is older than the stored revision ${latest.revision}`,
        );
      }
      const end = record.supportPeriod?.endDate ?? null;
      if (latest.support !== null) {
        if (end === null) {
          throw usageError(
            'SUPPORT_PERIOD_REMOVED',
            `product ${record.id}: $.supportPeriod is missing, but ${latest.support} was already recorded`,
          );
        }
        assertSupportPeriodNotShortened(latest.support, end, `product ${record.id} $.supportPeriod.endDate`);
      }
      assertFirstSupplyKept(record, fixedFirstSupplyInStore(this, record.id), `product ${record.id}`);
      const recordedAt = this.#now().toISOString();
      this.evidence.appendSealedRow(
        PRODUCT_RECORDS,
        {
          product_id: record.id,
          revision: record.revision,
          record_json: JSON.stringify(record),
          record_hash: hash,
          support_end_date: end,
          scope_outcome: record.scope ? assessScope(record.scope.answers).outcome : null,
          recorded_at: recordedAt,
        },
        recordedAt,
      );
      return { revision: record.revision, hash, stored: true };
    });
  }

  /** A stored product record (the latest revision unless one is given); its hash is re-checked. */
  getProductRecord(productId: string, revision?: number): ProductRecord {
    const row =
      revision === undefined
        ? this.#get(
            'SELECT * FROM product_records WHERE product_id = ? ORDER BY revision DESC LIMIT 1',
            productId,
          )
        : this.#get(
            'SELECT * FROM product_records WHERE product_id = ? AND revision = ?',
            productId,
            revision,
          );
    if (!row) {
      throw usageError(
        'PRODUCT_NOT_FOUND',
        `no product record ${productId}${revision === undefined ? '' : ` revision ${revision}`} in ${this.file} ` +
          '(store one with: credline product import FILE --db ...)',
      );
    }
    const record = JSON.parse(String(row['record_json'])) as ProductRecord;
    if (productRecordHash(record) !== row['record_hash']) {
      throw new CredlineError(
        'PRODUCT_RECORD_TAMPERED',
        `${this.file}: product ${productId} revision ${String(row['revision'])} does not match its stored hash`,
        { exitCode: ExitCode.failed },
      );
    }
    return record;
  }

  listProductRevisions(productId?: string): StoredProductRevision[] {
    const rows =
      productId === undefined
        ? this.#all('SELECT * FROM product_records ORDER BY product_id, revision')
        : this.#all('SELECT * FROM product_records WHERE product_id = ? ORDER BY revision', productId);
    return rows.map((row) => ({
      productId: String(row['product_id']),
      revision: Number(row['revision']),
      recordHash: String(row['record_hash']),
      supportEndDate: (row['support_end_date'] as string | null) ?? null,
      scopeOutcome: (row['scope_outcome'] as string | null) ?? null,
      recordedAt: String(row['recorded_at']),
    }));
  }

  /** Every support period end date ever recorded for a product (extensions included). */
  supportEndDates(productId: string): string[] {
    return (
      this.#all(
        'SELECT DISTINCT support_end_date AS d FROM product_records WHERE product_id = ? AND d IS NOT NULL',
        productId,
      ) as { d: string }[]
    ).map((r) => r.d);
  }

  /** The evidence store's batch, or a clear refusal. */
  requireBatch(batchId: string): BatchRecord {
    const batch = this.evidence.getBatch(batchId);
    if (!batch) throw usageError('BATCH_NOT_FOUND', `no batch ${batchId} in ${this.file}`);
    return batch;
  }

  /** The product a batch was linked to, if any. */
  productOfBatch(batchId: string): string | undefined {
    const row = this.#get('SELECT product_id FROM batch_products WHERE batch_id = ?', batchId) as
      { product_id: string } | undefined;
    return row?.product_id;
  }

  /**
   * Checks a statement can be recorded for the batch (the batch exists, has PASS results, belongs to this product
   * and its support period agrees), then records it with its content hash and the current chain head.
   */
  recordStatement(statement: StatementOfCompliance): IssuedStatementRecord {
    const batchId = statement.product.batch;
    const source = statement.source;
    if (!source) throw new Error('recordStatement: the statement has no source product record');
    return this.#write(() => {
      const batch = this.requireBatch(batchId);
      this.assertBatchFitsProduct(batch, source.productRecordId, statement.supportPeriod.endDate);
      if (!this.productOfBatch(batchId)) {
        const linkedAt = this.#now().toISOString();
        this.evidence.appendSealedRow(
          BATCH_PRODUCTS,
          { batch_id: batchId, product_id: source.productRecordId, recorded_at: linkedAt },
          linkedAt,
        );
      }
      const head = this.evidence.head();
      const contentHash = statementContentHash(statement);
      const issuedAt = this.#now().toISOString();
      const retainUntil = statement.retainUntil ?? computeRetainUntil(statement.dateOfIssue, []);
      const id = this.evidence.appendSealedRow(
        ISSUED_STATEMENTS,
        {
          batch_id: batchId,
          product_id: source.productRecordId,
          product_revision: source.productRecordRevision,
          statement_json: JSON.stringify(statement),
          content_hash: contentHash,
          date_of_issue: statement.dateOfIssue,
          retain_until: retainUntil,
          chain_head_seq: head.seq,
          chain_head_hash: head.hash,
          issued_at: issuedAt,
        },
        issuedAt,
      );
      return {
        id,
        batchId,
        productId: source.productRecordId,
        productRevision: source.productRecordRevision,
        statement,
        contentHash,
        dateOfIssue: statement.dateOfIssue,
        retainUntil,
        chainHead: head,
        issuedAt,
      };
    });
  }

  /**
   * Refuses a statement for a batch with no PASS results, a batch already linked to another product, or a batch
   * whose support period in force (its batch record, or a later extension in its batch terms) the product record
   * contradicts.
   */
  assertBatchFitsProduct(batch: BatchRecord, productId: string, statedSupportEnd: string): void {
    assertBatchFits(
      batch,
      {
        passes: this.evidence.countPasses(batch.batchId),
        linkedProduct: this.productOfBatch(batch.batchId),
        knownSupportEnds: this.supportEndDates(productId),
        support: batchSupport(this.evidence, batch),
      },
      productId,
      statedSupportEnd,
    );
  }

  /** When the chain head (the newest chained record) was recorded; the Unix epoch for an empty chain. */
  headRecordedAt(): string {
    const head = this.evidence.head();
    const version = Number(this.#get('PRAGMA user_version')?.['user_version']);
    for (const type of RECORD_TYPES.filter((t) => t.sinceVersion <= version)) {
      const row = this.#get(`SELECT recorded_at FROM ${type.table} WHERE seq = ?`, head.seq);
      if (row) return String(row['recorded_at']);
    }
    return new Date(0).toISOString();
  }

  /** Whether the file can hold statements of compliance: false for a file from before they existed (read-only). */
  canHoldStatements(): boolean {
    return Number(this.#get('PRAGMA user_version')?.['user_version']) >= ISSUED_STATEMENTS.sinceVersion;
  }

  /** Issued statements (of one batch, or all), oldest first; each statement's hash is re-checked. */
  listStatements(batchId?: string): IssuedStatementRecord[] {
    const rows =
      batchId === undefined
        ? this.#all('SELECT * FROM issued_statements ORDER BY id')
        : this.#all('SELECT * FROM issued_statements WHERE batch_id = ? ORDER BY id', batchId);
    return rows.map((row) => {
      const statement = JSON.parse(String(row['statement_json'])) as StatementOfCompliance;
      if (statementContentHash(statement) !== row['content_hash']) {
        throw new CredlineError(
          'STATEMENT_TAMPERED',
          `${this.file}: issued statement ${String(row['id'])} does not match its stored content hash`,
          { exitCode: ExitCode.failed },
        );
      }
      return {
        id: Number(row['id']),
        batchId: String(row['batch_id']),
        productId: String(row['product_id']),
        productRevision: Number(row['product_revision']),
        statement,
        contentHash: String(row['content_hash']),
        dateOfIssue: String(row['date_of_issue']),
        retainUntil: String(row['retain_until']),
        chainHead: { seq: Number(row['chain_head_seq']), hash: String(row['chain_head_hash']) },
        issuedAt: String(row['issued_at']),
      };
    });
  }
}
