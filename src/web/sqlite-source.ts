/**
 * The console's source over a station's SQLite evidence file, read-only, beside a running station (WAL: readers
 * never block the writer). New events are folded into the running totals by seq (`seq > last`, a primary-key range),
 * so a refresh is one indexed query, cheap enough to run several times a second, and a station restart changes
 * nothing here: it only appends.
 *
 * The SQL for the console's read model lives in this one file (the evidence module's queries cover single records and
 * whole-chain reads, not incremental folds).
 */
import type Database from 'better-sqlite3';
import { openComplianceStore, type ComplianceStore } from '../compliance/index.js';
import { openDatabase, type CheckpointRecord } from '../evidence/index.js';
import type {
  BatchFacts,
  BatchSummary,
  ChainStatus,
  ConsoleSource,
  DeviceHistory,
  LineState,
  ResultPage,
  Verdict,
} from './console-source.js';
import { LineAggregate, type EventFacts } from './line-aggregate.js';
import { PackBuilder } from './pack-builder.js';
import { VerifyMonitor } from './verify-monitor.js';

const FOLD_CHUNK = 20_000;

const EVENT_COLUMNS =
  'seq, kind, intent_seq, batch_id, serial, attempt, result, reason_code, reason_text, port, recorded_at';

type EventRow = [
  number,
  'INTENT' | 'RESULT',
  number | null,
  string,
  string,
  number | null,
  'PASS' | 'FAIL' | 'ABORTED' | null,
  string | null,
  string | null,
  string | null,
  string,
];

function factsOf(row: EventRow): EventFacts {
  return {
    seq: row[0],
    kind: row[1],
    intentSeq: row[2],
    batchId: row[3],
    serial: row[4],
    attempt: row[5],
    result: row[6],
    reasonCode: row[7],
    reasonText: row[8],
    port: row[9],
    recordedAt: row[10],
  };
}

/**
 * Opens `file` read-only for the console. The file must be a credline evidence store.
 *
 * @example
 * const source = openSqliteSource('line1.db');
 */
export function openSqliteSource(file: string): ConsoleSource {
  return new SqliteSource(file);
}

class SqliteSource implements ConsoleSource {
  readonly name: string;
  readonly #db: Database.Database;
  readonly #compliance: ComplianceStore;
  readonly #aggregate = new LineAggregate();
  readonly #verify: VerifyMonitor;
  readonly #packs: PackBuilder;
  readonly #newEvents: Database.Statement;
  readonly #marks: Database.Statement;
  #mark = '';

  constructor(file: string) {
    this.name = file;
    this.#db = openDatabase(file, { readonly: true });
    this.#compliance = openComplianceStore(file, { readonly: true });
    this.#verify = new VerifyMonitor(file);
    this.#packs = new PackBuilder(file);
    void this.chainStatus();
    this.#newEvents = this.#db
      .prepare(
        `SELECT ${EVENT_COLUMNS} FROM provisioning_events WHERE seq > ? ORDER BY seq LIMIT ${FOLD_CHUNK}`,
      )
      .raw(true);
    // What a page shows beyond the events: batches, checkpoints, statements. Each max() is one index probe.
    this.#marks = this.#db
      .prepare(
        `SELECT (SELECT max(seq) FROM provisioning_events), (SELECT max(seq) FROM batches),
                (SELECT max(id) FROM checkpoints), (SELECT max(seq) FROM policy_rejections)` +
          (this.#hasTable('issued_statements') ? ', (SELECT max(id) FROM issued_statements)' : ''),
      )
      .raw(true);
  }

  async refresh(): Promise<boolean> {
    const mark = JSON.stringify(this.#marks.get());
    if (mark === this.#mark) return false;
    this.#mark = mark;
    for (;;) {
      let rows = 0;
      for (const row of this.#newEvents.iterate(this.#aggregate.headSeq) as Iterable<EventRow>) {
        this.#aggregate.add(factsOf(row));
        rows++;
      }
      if (rows < FOLD_CHUNK) return true;
    }
  }

  async lineState(now: Date): Promise<LineState> {
    return this.#aggregate.lineState(now);
  }

  async listBatches(): Promise<BatchSummary[]> {
    return this.#compliance.evidence
      .listBatches()
      .map((batch) => this.#summary(batch.batchId))
      .filter((b): b is BatchSummary => b !== undefined);
  }

  async batchFacts(batchId: string): Promise<BatchFacts | undefined> {
    const summary = this.#summary(batchId);
    if (!summary) return undefined;
    const totals = this.#aggregate.batches.get(batchId);
    return {
      ...summary,
      perHour: this.#aggregate.perHour(batchId),
      failureReasons: [...(totals?.reasons ?? [])]
        .map(([reasonCode, count]) => ({ reasonCode, count }))
        .sort((a, b) => b.count - a.count || a.reasonCode.localeCompare(b.reasonCode, 'en')),
      perPort: [...(totals?.perPort ?? [])]
        .map(([port, counts]) => ({ port, ...counts }))
        .sort((a, b) => a.port.localeCompare(b.port, 'en')),
    };
  }

  async batchResults(batchId: string, options: { before?: number; limit: number }): Promise<ResultPage> {
    const totals = this.#aggregate.batches.get(batchId);
    if (!totals) return { results: [], nextBefore: null };
    const rows = this.#db
      .prepare(
        `SELECT seq, serial, port, result, reason_code, reason_text, recorded_at, batch_id
         FROM provisioning_events
         WHERE seq BETWEEN @from AND @to AND kind = 'RESULT' AND batch_id = @batchId
         ORDER BY seq DESC LIMIT @limit`,
      )
      .all({
        from: totals.minSeq,
        to: Math.min(totals.maxSeq, (options.before ?? Infinity) - 1),
        batchId,
        limit: options.limit + 1,
      }) as Record<string, unknown>[];
    const results: Verdict[] = rows.slice(0, options.limit).map((r) => ({
      seq: r['seq'] as number,
      serial: r['serial'] as string,
      port: (r['port'] as string | null) ?? '(no port)',
      result: r['result'] as Verdict['result'],
      reasonCode: r['reason_code'] as string | null,
      reasonText: r['reason_text'] as string | null,
      at: r['recorded_at'] as string,
      batchId: r['batch_id'] as string,
    }));
    return {
      results,
      nextBefore: rows.length > options.limit ? (results.at(-1)?.seq ?? null) : null,
    };
  }

  async deviceHistory(serial: string): Promise<DeviceHistory> {
    return { serial, ...this.#compliance.evidence.historyOf(serial) };
  }

  async findSerials(prefix: string, limit: number): Promise<string[]> {
    const rows = this.#db
      .prepare(
        'SELECT DISTINCT serial FROM provisioning_events WHERE serial >= @prefix AND serial < @end ORDER BY serial LIMIT @limit',
      )
      .all({ prefix, end: `${prefix}\u{10ffff}`, limit }) as { serial: string }[];
    return rows.map((r) => r.serial);
  }

  async listCheckpoints(): Promise<CheckpointRecord[]> {
    return this.#compliance.evidence.listCheckpoints();
  }

  async chainStatus(): Promise<ChainStatus> {
    return this.#verify.status(this.#compliance.evidence.head().seq);
  }

  async statementPdf(batchId: string): Promise<Uint8Array | undefined> {
    const issued = this.#statements(batchId).at(-1);
    if (!issued) return undefined;
    // Loaded on the first download: PDF rendering is the largest code the console has, and most never need it.
    const { statementPdf } = await import('./pack-download.js');
    return statementPdf(issued.statement);
  }

  evidencePackZip(batchId: string): Promise<Uint8Array> {
    return this.#packs.build(batchId);
  }

  async close(): Promise<void> {
    await this.#verify.stop();
    this.#compliance.close();
    this.#db.close();
  }

  #summary(batchId: string): BatchSummary | undefined {
    const batch = this.#compliance.evidence.getBatch(batchId);
    if (!batch) return undefined;
    const totals = this.#aggregate.batches.get(batchId);
    return {
      batch,
      tally: totals ? { ...totals.tally } : { pass: 0, fail: 0, aborted: 0, open: 0 },
      firstAt: totals?.firstAt ?? null,
      lastAt: totals?.lastAt ?? null,
      statements: this.#statements(batchId).map((s) => ({
        id: s.id,
        dateOfIssue: s.dateOfIssue,
        retainUntil: s.retainUntil,
        issuedAt: s.issuedAt,
      })),
    };
  }

  #statements(batchId: string): ReturnType<ComplianceStore['listStatements']> {
    return this.#hasTable('issued_statements') ? this.#compliance.listStatements(batchId) : [];
  }

  #hasTable(name: string): boolean {
    return (
      this.#db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !==
      undefined
    );
  }
}
