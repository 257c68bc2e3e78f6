/**
 * Compliance records kept in the evidence database (tables added by evidence migration 3): product records by
 * revision (with their scope notes), which product each batch is, and every statement of compliance issued with
 * its content hash, date of issue, retain-until date and the chain head it was issued against. The tables are
 * append-only (triggers refuse UPDATE and DELETE; `evidence verify` checks the triggers): a change is a new row.
 * Every row is sealed into the hash chain in the transaction that writes it (evidence/compliance-seals.ts), so an
 * edit made with the triggers dropped is still found by `evidence verify`.
 */
import type Database from 'better-sqlite3';
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { ChainWriter } from '../evidence/chain-writer.js';
import { sealedTable, sealRow } from '../evidence/compliance-seals.js';
import { openDatabase } from '../evidence/database.js';
import { EvidenceQueries } from '../evidence/queries.js';
import type { BatchRecord, ChainHead } from '../evidence/types.js';
import { canonicalHash } from './canonical-json.js';
import type { ProductRecord } from './product-record.js';
import { productRecordHash, validateProductRecord } from './product-validate.js';
import { assertSupportPeriodNotShortened, computeRetainUntil } from './retention.js';
import { assessScope } from './scope.js';
import type { StatementOfCompliance } from './statement.js';
import { issuesError } from './validation-issue.js';

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
  return new ComplianceStore(openDatabase(file, { readonly: options.readonly ?? false }), file, options.now);
}

export class ComplianceStore {
  readonly file: string;
  readonly evidence: EvidenceQueries;
  readonly #db: Database.Database;
  readonly #now: () => Date;
  #chain: ChainWriter | undefined;

  constructor(db: Database.Database, file: string, now: () => Date = () => new Date()) {
    this.#db = db;
    this.file = file;
    this.#now = now;
    this.evidence = new EvidenceQueries(db);
  }

  close(): void {
    this.#db.close();
  }

  /** Runs `work` in one IMMEDIATE transaction that can append seals to the chain. */
  #write<T>(work: (chain: ChainWriter) => T): T {
    const chain = (this.#chain ??= new ChainWriter(this.#db));
    return chain.write(() => work(chain));
  }

  /**
   * Stores a product record revision. Storing the same revision again is a no-op; a different record under an
   * existing revision, a revision not above the latest, or a support period shorter than any stored one is refused.
   */
  importProductRecord(record: ProductRecord): { revision: number; hash: string; stored: boolean } {
    const result = validateProductRecord(record);
    if (result.issues) throw issuesError('PRODUCT_RECORD_INVALID', `product ${record.id}`, result.issues);
    const hash = productRecordHash(record);
    return this.#write((chain) => {
      const same = this.#db
        .prepare('SELECT record_hash FROM product_records WHERE product_id = ? AND revision = ?')
        .get(record.id, record.revision) as { record_hash: string } | undefined;
      if (same) {
        if (same.record_hash === hash) return { revision: record.revision, hash, stored: false };
        throw usageError(
          'PRODUCT_REVISION_EXISTS',
          `product ${record.id} revision ${record.revision} is already stored with different content: ` +
            'raise $.revision for a change (stored revisions never change)',
        );
      }
      const latest = this.#db
        .prepare(
          'SELECT max(revision) AS revision, max(support_end_date) AS support FROM product_records WHERE product_id = ?',
        )
        .get(record.id) as { revision: number | null; support: string | null };
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
      const recordedAt = this.#now().toISOString();
      const info = this.#db
        .prepare(
          `INSERT INTO product_records (product_id, revision, record_json, record_hash, support_end_date, scope_outcome, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          record.id,
          record.revision,
          JSON.stringify(record),
          hash,
          end,
          record.scope ? assessScope(record.scope.answers).outcome : null,
          recordedAt,
        );
      sealRow(this.#db, chain, sealedTable('product_records'), Number(info.lastInsertRowid), recordedAt);
      return { revision: record.revision, hash, stored: true };
    });
  }

  /** A stored product record (the latest revision unless one is given); its hash is re-checked. */
  getProductRecord(productId: string, revision?: number): ProductRecord {
    const row = (
      revision === undefined
        ? this.#db
            .prepare('SELECT * FROM product_records WHERE product_id = ? ORDER BY revision DESC LIMIT 1')
            .get(productId)
        : this.#db
            .prepare('SELECT * FROM product_records WHERE product_id = ? AND revision = ?')
            .get(productId, revision)
    ) as Row | undefined;
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
    const rows = (
      productId === undefined
        ? this.#db.prepare('SELECT * FROM product_records ORDER BY product_id, revision').all()
        : this.#db
            .prepare('SELECT * FROM product_records WHERE product_id = ? ORDER BY revision')
            .all(productId)
    ) as Row[];
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
      this.#db
        .prepare(
          'SELECT DISTINCT support_end_date AS d FROM product_records WHERE product_id = ? AND d IS NOT NULL',
        )
        .all(productId) as { d: string }[]
    ).map((r) => r.d);
  }

  /** The evidence store's batch, or a clear refusal. */
  requireBatch(batchId: string): BatchRecord {
    const batch = this.evidence.getBatch(batchId);
    if (!batch) throw usageError('BATCH_NOT_FOUND', `no batch ${batchId} in ${this.file}`);
    return batch;
  }

  /** Number of PASS results recorded for a batch. */
  countPasses(batchId: string): number {
    return (
      this.#db
        .prepare(`SELECT count(*) AS n FROM provisioning_events WHERE batch_id = ? AND result = 'PASS'`)
        .get(batchId) as { n: number }
    ).n;
  }

  /** The product a batch was linked to, if any. */
  productOfBatch(batchId: string): string | undefined {
    const row = this.#db.prepare('SELECT product_id FROM batch_products WHERE batch_id = ?').get(batchId) as
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
    return this.#write((chain) => {
      const batch = this.requireBatch(batchId);
      this.assertBatchFitsProduct(batch, source.productRecordId, statement.supportPeriod.endDate);
      if (!this.productOfBatch(batchId)) {
        const linkedAt = this.#now().toISOString();
        this.#db
          .prepare('INSERT INTO batch_products (batch_id, product_id, recorded_at) VALUES (?, ?, ?)')
          .run(batchId, source.productRecordId, linkedAt);
        sealRow(this.#db, chain, sealedTable('batch_products'), batchId, linkedAt);
      }
      const head = this.evidence.head();
      const contentHash = statementContentHash(statement);
      const issuedAt = this.#now().toISOString();
      const retainUntil = statement.retainUntil ?? computeRetainUntil(statement.dateOfIssue, []);
      const info = this.#db
        .prepare(
          `INSERT INTO issued_statements (batch_id, product_id, product_revision, statement_json, content_hash,
               date_of_issue, retain_until, chain_head_seq, chain_head_hash, issued_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          batchId,
          source.productRecordId,
          source.productRecordRevision,
          JSON.stringify(statement),
          contentHash,
          statement.dateOfIssue,
          retainUntil,
          head.seq,
          head.hash,
          issuedAt,
        );
      sealRow(this.#db, chain, sealedTable('issued_statements'), Number(info.lastInsertRowid), issuedAt);
      return {
        id: Number(info.lastInsertRowid),
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
   * recorded with a support period the product record contradicts.
   */
  assertBatchFitsProduct(batch: BatchRecord, productId: string, statedSupportEnd: string): void {
    if (this.countPasses(batch.batchId) === 0) {
      throw usageError(
        'BATCH_HAS_NO_PASS',
        `batch ${batch.batchId} has no PASS results: there is no provisioned product to state compliance for`,
      );
    }
    const linked = this.productOfBatch(batch.batchId);
    if (linked !== undefined && linked !== productId) {
      throw usageError(
        'BATCH_PRODUCT_MISMATCH',
        `batch ${batch.batchId} belongs to product ${linked}, not ${productId}`,
      );
    }
    const known = this.supportEndDates(productId);
    const latest = known.reduce((a, b) => (a > b ? a : b), statedSupportEnd);
    if (batch.supportEndDate < statedSupportEnd || batch.supportEndDate > latest) {
      throw usageError(
        'BATCH_SUPPORT_MISMATCH',
        `batch ${batch.batchId} was recorded with a support period ending ${batch.supportEndDate}, but product ` +
          `${productId} states ${statedSupportEnd}${latest !== statedSupportEnd ? ` (extended to ${latest})` : ''}; ` +
          'fix the product record or the batch before issuing',
      );
    }
  }

  /** Issued statements (of one batch, or all), oldest first; each statement's hash is re-checked. */
  listStatements(batchId?: string): IssuedStatementRecord[] {
    const rows = (
      batchId === undefined
        ? this.#db.prepare('SELECT * FROM issued_statements ORDER BY id').all()
        : this.#db.prepare('SELECT * FROM issued_statements WHERE batch_id = ? ORDER BY id').all(batchId)
    ) as Row[];
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
