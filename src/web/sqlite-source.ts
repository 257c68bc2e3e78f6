/**
 * The console's source over a station's SQLite evidence file, read-only, beside a running station (WAL: readers
 * never block the writer). New events are folded into the running totals by seq (`seq > last`, a primary-key range),
 * so a refresh is one indexed query, cheap enough to run several times a second, and a station restart changes
 * nothing here: it only appends.
 * The store is read through the evidence module's named operations (its event feed), on one read-only connection.
 */
import { openComplianceStore, type ComplianceStore } from '../compliance/index.js';
import type { CheckpointRecord, EventFeed } from '../evidence/index.js';
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
import { LineAggregate } from './line-aggregate.js';
import { PackBuilder } from './pack-builder.js';
import { VerifyMonitor } from './verify-monitor.js';

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
  readonly #compliance: ComplianceStore;
  readonly #feed: EventFeed;
  readonly #aggregate = new LineAggregate();
  readonly #verify: VerifyMonitor;
  readonly #packs: PackBuilder;
  #mark = '';

  constructor(file: string) {
    this.name = file;
    this.#compliance = openComplianceStore(file, { readonly: true });
    this.#feed = this.#compliance.evidence.eventFeed();
    this.#verify = new VerifyMonitor(file);
    this.#packs = new PackBuilder(file);
    void this.chainStatus();
  }

  async refresh(): Promise<boolean> {
    const mark = this.#feed.changeMark();
    if (mark === this.#mark) return false;
    this.#mark = mark;
    for (const event of this.#feed.eventsAfter(this.#aggregate.headSeq)) this.#aggregate.add(event);
    return true;
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

  async batchResults(batchId: string, options: { before?: string; limit: number }): Promise<ResultPage> {
    const totals = this.#aggregate.batches.get(batchId);
    if (!totals) return { results: [], nextBefore: null };
    const before = Number(options.before);
    const rows = this.#feed.resultsBetween(
      batchId,
      totals.minSeq,
      Math.min(totals.maxSeq, (Number.isSafeInteger(before) && before > 0 ? before : Infinity) - 1),
      options.limit + 1,
    );
    const results: Verdict[] = rows.slice(0, options.limit).map((r) => ({
      seq: r.seq,
      serial: r.serial,
      port: r.port ?? '(no port)',
      result: r.result,
      reasonCode: r.reasonCode,
      reasonText: r.reasonText,
      at: r.recordedAt,
      batchId: r.batchId,
    }));
    const last = results.at(-1);
    return { results, nextBefore: rows.length > options.limit && last ? String(last.seq) : null };
  }

  async deviceHistory(serial: string): Promise<DeviceHistory> {
    return { serial, ...this.#compliance.evidence.historyOf(serial) };
  }

  async findSerials(prefix: string, limit: number): Promise<string[]> {
    return this.#feed.serialsStartingWith(prefix, limit);
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
    return this.#compliance.canHoldStatements() ? this.#compliance.listStatements(batchId) : [];
  }
}
