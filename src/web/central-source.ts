/**
 * The console's source over the central PostgreSQL store, read-only (a reader role is enough): the fleet. Each
 * station's chain is folded into its own running totals by its own seq cursor, so the line view shows every
 * station's ports side by side, and a batch's counts name the stations that made it. A refresh is one round trip of
 * index probes (each station's head) and then, for the stations that moved, their new events.
 *
 * When the store cannot be reached the source keeps what it read, says so in a sentence the pages show as a banner,
 * and connects again on the next refresh; the folds go on from each station's cursor, so nothing is counted twice.
 */
import type * as CentralModule from '../central/index.js';
import type { CentralReader, CentralTarget } from '../central/index.js';
import type { StatementOfCompliance } from '../compliance/index.js';
import type { BatchRecord } from '../evidence/index.js';
import type {
  BatchFacts,
  BatchSummary,
  ChainStatus,
  ConflictView,
  ConsoleSource,
  DeviceHistory,
  FindingView,
  LineState,
  ResultPage,
  Tally,
  Verdict,
} from './console-source.js';
import { CentralVerifyMonitor } from './central-verify.js';
import { fleetLineState } from './fleet-line.js';
import { timeOfDay } from './pages/format.js';
import { LineAggregate, type BatchTotals } from './line-aggregate.js';

type Central = typeof CentralModule;

export interface CentralSourceOptions {
  /** The clock the banner's "since" comes from. */
  now?: () => Date;
}

interface StationFold {
  aggregate: LineAggregate;
  /** Every record up to this seq is folded. */
  cursor: number;
}

/** The pack needs `credline pack --central`, which this version of the console does not build. */
export const CENTRAL_PACK_UNAVAILABLE =
  'The evidence pack of a batch in the central store cannot be downloaded from this console yet: build it from ' +
  "each station's file with credline pack --db FILE --batch ID.";

/**
 * Connects to the central store (exit 3 when it cannot be reached, exit 2 for a wrong schema or credentials), then
 * serves it to the console.
 *
 * @example
 * const source = await openCentralSource(centralTarget({ centralEnv: 'CREDLINE_CENTRAL' }));
 */
export async function openCentralSource(
  target: CentralTarget,
  options: CentralSourceOptions = {},
): Promise<ConsoleSource> {
  const central = await import('../central/index.js');
  const reader = await central.CentralReader.open(target);
  return new CentralSource(central, target, reader, options.now ?? (() => new Date()));
}

function emptyTally(): Tally {
  return { pass: 0, fail: 0, aborted: 0, open: 0 };
}

function addTally(into: Tally, from: Tally): void {
  into.pass += from.pass;
  into.fail += from.fail;
  into.aborted += from.aborted;
  into.open += from.open;
}

/** `before` of a central result page: each station still to read and the seq below which to read it. */
function parseCursor(text: string | undefined): Map<string, number> | undefined {
  if (text === undefined) return undefined;
  const cursor = new Map<string, number>();
  for (const part of text.split(',')) {
    const at = part.lastIndexOf(':');
    const seq = Number(part.slice(at + 1));
    if (at <= 0 || !Number.isSafeInteger(seq) || seq <= 0) return undefined;
    try {
      cursor.set(decodeURIComponent(part.slice(0, at)), seq);
    } catch {
      return undefined;
    }
  }
  return cursor;
}

class CentralSource implements ConsoleSource {
  readonly name: string;
  readonly packUnavailable = CENTRAL_PACK_UNAVAILABLE;
  readonly #central: Central;
  readonly #target: CentralTarget;
  readonly #now: () => Date;
  readonly #stations = new Map<string, StationFold>();
  /** Each batch's record, as the first station (by id) recorded it. */
  readonly #batches = new Map<string, { record: BatchRecord; stationId: string }>();
  readonly #verify: CentralVerifyMonitor;
  #reader: CentralReader | undefined;
  #mark = '';
  #down: { since: Date; message: string } | undefined;
  #refreshing: Promise<boolean> | undefined;

  constructor(central: Central, target: CentralTarget, reader: CentralReader, now: () => Date) {
    this.#central = central;
    this.#target = target;
    this.#reader = reader;
    this.#now = now;
    this.name = central.describeCentral(target);
    this.#verify = new CentralVerifyMonitor((t) => central.CentralReader.open(t), target);
  }

  /** Runs `work` on the connection, opening one first when the last was lost; a failure drops the connection. */
  async #read<T>(work: (reader: CentralReader) => Promise<T>): Promise<T> {
    this.#reader ??= await this.#central.CentralReader.open(this.#target);
    const reader = this.#reader;
    try {
      return await work(reader);
    } catch (error) {
      if (this.#reader === reader) this.#reader = undefined;
      await reader.close();
      throw error;
    }
  }

  refresh(): Promise<boolean> {
    // One fold at a time: the live feed and page requests both ask, and an event must be folded once.
    this.#refreshing ??= this.#refreshOnce().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #refreshOnce(): Promise<boolean> {
    try {
      const wasDown = this.#down !== undefined;
      const changed = await this.#read(async (reader) => {
        const heads = await this.#central.consoleHeads(reader);
        const mark = JSON.stringify(heads);
        if (mark === this.#mark) return false;
        for (const { stationId, headSeq } of heads.stations) await this.#fold(reader, stationId, headSeq);
        this.#mark = mark;
        return true;
      });
      this.#down = undefined;
      return changed || wasDown;
    } catch (error) {
      const wasDown = this.#down !== undefined;
      this.#down ??= {
        since: this.#now(),
        message: error instanceof Error ? error.message : String(error),
      };
      return !wasDown;
    }
  }

  async #fold(reader: CentralReader, stationId: string, headSeq: number): Promise<void> {
    let station = this.#stations.get(stationId);
    if (!station) {
      station = { aggregate: new LineAggregate(), cursor: 0 };
      this.#stations.set(stationId, station);
    }
    if (headSeq <= station.cursor) return;
    for (const record of await this.#central.consoleBatchesAfter(
      reader,
      stationId,
      station.cursor,
      headSeq,
    )) {
      const known = this.#batches.get(record.batchId);
      if (!known || stationId < known.stationId) this.#batches.set(record.batchId, { record, stationId });
    }
    for await (const chunk of this.#central.consoleEventsAfter(reader, stationId, station.cursor, headSeq)) {
      for (const event of chunk) station.aggregate.add(event);
      station.cursor = (chunk.at(-1) as (typeof chunk)[number]).seq;
    }
    station.cursor = headSeq;
  }

  /** The banner's sentence while the store cannot be read. */
  #notice(): string | null {
    if (!this.#down) return null;
    return (
      `The central store cannot be reached since ${timeOfDay(this.#down.since.toISOString())} ` +
      `(${this.#down.message}). This page shows what was read before, and updates by itself once the store is back.`
    );
  }

  async lineState(now: Date): Promise<LineState> {
    const aggregates = new Map([...this.#stations].map(([id, s]) => [id, s.aggregate]));
    return { ...fleetLineState(aggregates, now), notice: this.#notice() };
  }

  /** Each station's totals of a batch, stations by id. */
  #totals(batchId: string): { stationId: string; totals: BatchTotals }[] {
    const out: { stationId: string; totals: BatchTotals }[] = [];
    for (const [stationId, s] of [...this.#stations].sort(([a], [b]) => a.localeCompare(b, 'en'))) {
      const totals = s.aggregate.batches.get(batchId);
      if (totals) out.push({ stationId, totals });
    }
    return out;
  }

  #summary(batchId: string, statements: readonly CentralModule.ConsoleStatement[]): BatchSummary | undefined {
    const batch = this.#batches.get(batchId)?.record;
    if (!batch) return undefined;
    const tally = emptyTally();
    let firstAt: string | null = null;
    let lastAt: string | null = null;
    const stations = this.#totals(batchId).map(({ stationId, totals }) => {
      addTally(tally, totals.tally);
      if (totals.firstAt && (firstAt === null || totals.firstAt < firstAt)) firstAt = totals.firstAt;
      if (totals.lastAt && (lastAt === null || totals.lastAt > lastAt)) lastAt = totals.lastAt;
      return { stationId, tally: { ...totals.tally } };
    });
    return {
      batch,
      tally,
      firstAt,
      lastAt,
      statements: statements
        .filter((s) => s.batchId === batchId)
        .map((s) => ({
          id: s.documentId,
          dateOfIssue: s.dateOfIssue,
          retainUntil: s.retainUntil,
          issuedAt: s.recordedAt,
        })),
      stations,
    };
  }

  async listBatches(): Promise<BatchSummary[]> {
    const statements = await this.#read((r) => this.#central.consoleStatements(r));
    const out: BatchSummary[] = [];
    for (const batchId of [...this.#batches.keys()].sort()) {
      const summary = this.#summary(batchId, statements);
      if (summary) out.push(summary);
    }
    return out;
  }

  async batchFacts(batchId: string): Promise<BatchFacts | undefined> {
    const statements = await this.#read((r) => this.#central.consoleStatements(r, batchId));
    const summary = this.#summary(batchId, statements);
    if (!summary) return undefined;
    const perHour = new Map<string, { pass: number; fail: number }>();
    const reasons = new Map<string, number>();
    const perPort: BatchFacts['perPort'] = [];
    for (const { stationId, totals } of this.#totals(batchId)) {
      for (const [start, b] of totals.perHour) {
        const into = perHour.get(start) ?? { pass: 0, fail: 0 };
        into.pass += b.pass;
        into.fail += b.fail;
        perHour.set(start, into);
      }
      for (const [code, n] of totals.reasons) reasons.set(code, (reasons.get(code) ?? 0) + n);
      for (const [port, counts] of [...totals.perPort].sort(([a], [b]) => a.localeCompare(b, 'en')))
        perPort.push({ port: `${stationId} ${port}`, ...counts });
    }
    return {
      ...summary,
      perHour: [...perHour]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([start, counts]) => ({ start, ...counts })),
      failureReasons: [...reasons]
        .map(([reasonCode, count]) => ({ reasonCode, count }))
        .sort((a, b) => b.count - a.count || a.reasonCode.localeCompare(b.reasonCode, 'en')),
      perPort,
    };
  }

  /**
   * Newest first across stations: the next `limit` results of each station still to read (a backward index scan
   * each), merged by time. The cursor names, per station, the seq to read below.
   */
  async batchResults(batchId: string, options: { before?: string; limit: number }): Promise<ResultPage> {
    const cursor = parseCursor(options.before);
    const stations = this.#totals(batchId)
      .filter(({ stationId }) => cursor === undefined || cursor.has(stationId))
      .map(({ stationId, totals }) => ({ stationId, below: cursor?.get(stationId) ?? totals.maxSeq + 1 }));
    const fetched = await this.#read(async (reader) => {
      const out = [];
      for (const s of stations)
        out.push(
          await this.#central.consoleBatchResults(reader, batchId, s.stationId, s.below, options.limit + 1),
        );
      return out;
    });
    const merged = fetched
      .flat()
      .sort(
        (a, b) =>
          (a.recordedAt < b.recordedAt ? 1 : a.recordedAt > b.recordedAt ? -1 : 0) ||
          a.stationId.localeCompare(b.stationId, 'en') ||
          b.seq - a.seq,
      )
      .slice(0, options.limit);
    const next: string[] = [];
    stations.forEach((s, i) => {
      const taken = merged.filter((r) => r.stationId === s.stationId);
      if ((fetched[i]?.length ?? 0) > taken.length) {
        const below = taken.at(-1)?.seq ?? s.below;
        next.push(`${encodeURIComponent(s.stationId)}:${below}`);
      }
    });
    const results: Verdict[] = merged.map((r) => ({
      seq: r.seq,
      serial: r.serial,
      port: r.port ?? '(no port)',
      result: r.result,
      reasonCode: r.reasonCode,
      reasonText: r.reasonText,
      at: r.recordedAt,
      batchId: r.batchId,
      station: r.stationId,
    }));
    return { results, nextBefore: next.length > 0 ? next.join(',') : null };
  }

  async deviceHistory(serial: string): Promise<DeviceHistory> {
    return { serial, ...(await this.#read((r) => this.#central.consoleSerialHistory(r, serial))) };
  }

  findSerials(prefix: string, limit: number): Promise<string[]> {
    return this.#read((r) => this.#central.consoleSerialsStartingWith(r, prefix, limit));
  }

  listCheckpoints(): ReturnType<ConsoleSource['listCheckpoints']> {
    return this.#read((r) => this.#central.consoleCheckpoints(r));
  }

  async chainStatus(): Promise<ChainStatus> {
    let mark = 0;
    for (const s of this.#stations.values()) mark += s.cursor;
    return this.#verify.status(mark);
  }

  async statementPdf(batchId: string): Promise<Uint8Array | undefined> {
    const issued = (
      await this.#read((r) =>
        this.#central.consoleStatements<{ statement: StatementOfCompliance }>(r, batchId),
      )
    ).at(-1);
    if (!issued) return undefined;
    const { statementPdf } = await import('./pack-download.js');
    return statementPdf(issued.body.statement);
  }

  evidencePackZip(): Promise<Uint8Array> {
    return Promise.reject(new Error(CENTRAL_PACK_UNAVAILABLE));
  }

  async conflicts(): Promise<{ conflicts: ConflictView[]; findings: FindingView[] }> {
    return this.#read(async (reader) => ({
      conflicts: (await reader.conflicts()).map((c) => ({
        kind: c.kind,
        profileId: c.profileId,
        first: c.first,
        second: c.second,
        foundAt: c.foundAt,
      })),
      findings: await reader.findings(),
    }));
  }

  async close(): Promise<void> {
    await this.#verify.settle();
    await this.#reader?.close();
    this.#reader = undefined;
  }
}
