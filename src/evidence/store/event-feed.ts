/**
 * Reads for whoever watches a store while a station writes it (the web console): the events after a seq, in
 * chunks (a primary-key range, cheap enough to poll several times a second); a mark that changes whenever anything
 * is appended; a batch's results a page at a time, newest first; the serials that begin with some text. Named
 * operations, so that the watcher holds no SQL of its own. Statements are prepared once, on the store's connection.
 *
 * @example
 * const feed = store.eventFeed();
 * for (const event of feed.eventsAfter(lastSeq)) fold(event);
 */
import type Database from 'better-sqlite3';
import { headQuerySql } from '../chain/chain-sql.js';
import { chainTypesOf } from '../chain/chain-rows.js';

/** The facts of one provisioning event a watcher folds into its totals. */
export interface EventFacts {
  seq: number;
  kind: 'INTENT' | 'RESULT';
  intentSeq: number | null;
  batchId: string;
  serial: string;
  attempt: number | null;
  result: 'PASS' | 'FAIL' | 'ABORTED' | null;
  reasonCode: string | null;
  reasonText: string | null;
  port: string | null;
  recordedAt: string;
}

/** A result row of a batch, as a page of results shows it. */
export interface BatchResult {
  seq: number;
  serial: string;
  port: string | null;
  result: 'PASS' | 'FAIL' | 'ABORTED';
  reasonCode: string | null;
  reasonText: string | null;
  recordedAt: string;
  batchId: string;
}

/** Rows read per query while catching up (a large store is folded in chunks, never held whole). */
const CHUNK = 20_000;

type EventRow = [
  number,
  EventFacts['kind'],
  number | null,
  string,
  string,
  number | null,
  EventFacts['result'],
  string | null,
  string | null,
  string | null,
  string,
];

export class EventFeed {
  readonly #eventsAfter: Database.Statement;
  readonly #mark: Database.Statement;
  readonly #results: Database.Statement;
  readonly #serials: Database.Statement;

  constructor(db: Database.Database) {
    this.#eventsAfter = db
      .prepare(
        'SELECT seq, kind, intent_seq, batch_id, serial, attempt, result, reason_code, reason_text, port, ' +
          `recorded_at FROM provisioning_events WHERE seq > ? ORDER BY seq LIMIT ${CHUNK}`,
      )
      .raw(true);
    // The chain head moves with every chained record (events, batches, rejections, compliance seals); checkpoints
    // are not chained, so their newest id is part of the mark. Each max() is one index probe.
    this.#mark = db
      .prepare(
        `SELECT (SELECT seq FROM (${headQuerySql(chainTypesOf(db))})), (SELECT max(id) FROM checkpoints)`,
      )
      .raw(true);
    this.#results = db.prepare(
      `SELECT seq, serial, port, result, reason_code, reason_text, recorded_at, batch_id
       FROM provisioning_events
       WHERE seq BETWEEN @from AND @to AND kind = 'RESULT' AND batch_id = @batchId
       ORDER BY seq DESC LIMIT @limit`,
    );
    this.#serials = db.prepare(
      'SELECT DISTINCT serial FROM provisioning_events WHERE serial >= @prefix AND serial < @end ORDER BY serial LIMIT @limit',
    );
  }

  /** Changes whenever a record is appended or a checkpoint signed; compare it with the last one seen. */
  changeMark(): string {
    return JSON.stringify(this.#mark.get());
  }

  /** Every event after `seq`, in seq order, read in chunks. */
  *eventsAfter(seq: number): Generator<EventFacts> {
    let after = seq;
    for (;;) {
      let rows = 0;
      for (const row of this.#eventsAfter.iterate(after) as Iterable<EventRow>) {
        after = row[0];
        rows++;
        yield {
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
      if (rows < CHUNK) return;
    }
  }

  /** A batch's results with seq in `from`..`to`, newest first, at most `limit`. */
  resultsBetween(batchId: string, from: number, to: number, limit: number): BatchResult[] {
    const rows = this.#results.all({ from, to, batchId, limit }) as Record<string, unknown>[];
    return rows.map((r) => ({
      seq: r['seq'] as number,
      serial: r['serial'] as string,
      port: r['port'] as string | null,
      result: r['result'] as BatchResult['result'],
      reasonCode: r['reason_code'] as string | null,
      reasonText: r['reason_text'] as string | null,
      recordedAt: r['recorded_at'] as string,
      batchId: r['batch_id'] as string,
    }));
  }

  /** The distinct serials beginning with `prefix`, in order, at most `limit` (an index range scan). */
  serialsStartingWith(prefix: string, limit: number): string[] {
    const rows = this.#serials.all({ prefix, end: `${prefix}\u{10ffff}`, limit }) as { serial: string }[];
    return rows.map((r) => r.serial);
  }
}
