/**
 * The console's running totals, kept up to date from the evidence chain as it grows. The chain is append-only, so
 * every event is folded in once, in seq order, and each page reads totals from memory: a batch page over a
 * million events costs the same as over ten. Memory is bounded by batches × hours, ports and reason codes, never
 * by events.
 */
import type { EventFacts } from '../evidence/index.js';
import type { LineState, PortState, Tally, TimeBucket, Verdict } from './console-source.js';

/** The fields of one evidence event the console folds in (nothing secret): the evidence feed's. */
export type { EventFacts };

export interface BatchTotals {
  tally: Tally;
  firstAt: string | null;
  lastAt: string | null;
  /** The first and last event seq of the batch (bounds its scans). */
  minSeq: number;
  maxSeq: number;
  perHour: Map<string, { pass: number; fail: number }>;
  reasons: Map<string, number>;
  perPort: Map<string, { pass: number; fail: number; aborted: number }>;
}

interface OpenIntent {
  port: string;
  serial: string;
  since: string;
  attempt: number | null;
  batchId: string;
}

interface PortTrack {
  inHand: number | null;
  last: Verdict | null;
}

const NO_PORT = '(no port)';
const RECENT_FAILURES = 8;
const MINUTE_MS = 60_000;

function emptyTally(): Tally {
  return { pass: 0, fail: 0, aborted: 0, open: 0 };
}

export class LineAggregate {
  readonly batches = new Map<string, BatchTotals>();
  readonly #open = new Map<number, OpenIntent>();
  readonly #ports = new Map<string, PortTrack>();
  /** Record times (ms) of the results of the last minute before the newest one. */
  #recentResults: number[] = [];
  #recentFailures: Verdict[] = [];
  #currentBatch: string | null = null;
  headSeq = 0;

  /** Folds one event in; events must come in seq order, each once. */
  add(e: EventFacts): void {
    this.headSeq = e.seq;
    this.#currentBatch = e.batchId;
    const batch = this.#batch(e.batchId, e.seq);
    batch.maxSeq = e.seq;
    batch.firstAt ??= e.recordedAt;
    batch.lastAt = e.recordedAt;
    const port = e.port ?? NO_PORT;
    const track = this.#port(port);
    if (e.kind === 'INTENT') {
      batch.tally.open++;
      this.#open.set(e.seq, {
        port,
        serial: e.serial,
        since: e.recordedAt,
        attempt: e.attempt,
        batchId: e.batchId,
      });
      track.inHand = e.seq;
      return;
    }
    if (e.intentSeq !== null && this.#open.delete(e.intentSeq)) batch.tally.open--;
    if (track.inHand === e.intentSeq) track.inHand = null;
    const result = e.result ?? 'ABORTED';
    const verdict: Verdict = {
      seq: e.seq,
      serial: e.serial,
      port,
      result,
      reasonCode: e.reasonCode,
      reasonText: e.reasonText,
      at: e.recordedAt,
      batchId: e.batchId,
    };
    track.last = verdict;
    const portTotals = batch.perPort.get(port) ?? { pass: 0, fail: 0, aborted: 0 };
    batch.perPort.set(port, portTotals);
    const hour = `${e.recordedAt.slice(0, 13)}:00:00Z`;
    const bucket = batch.perHour.get(hour) ?? { pass: 0, fail: 0 };
    batch.perHour.set(hour, bucket);
    if (result === 'PASS') {
      batch.tally.pass++;
      portTotals.pass++;
      bucket.pass++;
    } else {
      if (result === 'FAIL') {
        batch.tally.fail++;
        portTotals.fail++;
      } else {
        batch.tally.aborted++;
        portTotals.aborted++;
      }
      bucket.fail++;
      const code = e.reasonCode ?? result.toLowerCase();
      batch.reasons.set(code, (batch.reasons.get(code) ?? 0) + 1);
      this.#recentFailures.push(verdict);
      if (this.#recentFailures.length > RECENT_FAILURES) this.#recentFailures.shift();
    }
    const at = Date.parse(e.recordedAt);
    this.#recentResults.push(at);
    if (this.#recentResults.length > 4096 && (this.#recentResults[0] ?? at) < at - MINUTE_MS) {
      this.#recentResults = this.#recentResults.filter((t) => t > at - MINUTE_MS);
    }
  }

  /** The line as it stands: the ports of the running batch, its tally, the rate over the minute before `now`. */
  lineState(now: Date): LineState {
    const batchId = this.#currentBatch;
    const batch = batchId === null ? undefined : this.batches.get(batchId);
    const ports: PortState[] = [];
    for (const [port, track] of [...this.#ports].sort(([a], [b]) => a.localeCompare(b, 'en'))) {
      const intent = track.inHand === null ? undefined : this.#open.get(track.inHand);
      const inBatch = intent?.batchId === batchId || track.last?.batchId === batchId;
      if (!inBatch) continue;
      const totals = batch?.perPort.get(port);
      ports.push({
        port,
        inHand: intent ? { serial: intent.serial, since: intent.since, attempt: intent.attempt } : null,
        last: track.last?.batchId === batchId ? track.last : null,
        tally: {
          pass: totals?.pass ?? 0,
          fail: totals?.fail ?? 0,
          aborted: totals?.aborted ?? 0,
          open: intent ? 1 : 0,
        },
      });
    }
    const from = now.getTime() - MINUTE_MS;
    return {
      batchId,
      ports,
      tally: batch ? { ...batch.tally } : emptyTally(),
      devicesPerMinute: this.#recentResults.filter((t) => t > from && t <= now.getTime()).length,
      recentFailures: this.#recentFailures.filter((f) => f.batchId === batchId).reverse(),
      headSeq: this.headSeq,
    };
  }

  /** A batch's results per hour, oldest first. */
  perHour(batchId: string): TimeBucket[] {
    const batch = this.batches.get(batchId);
    if (!batch) return [];
    return [...batch.perHour]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([start, counts]) => ({ start, ...counts }));
  }

  #batch(batchId: string, seq: number): BatchTotals {
    let batch = this.batches.get(batchId);
    if (!batch) {
      batch = {
        tally: emptyTally(),
        firstAt: null,
        lastAt: null,
        minSeq: seq,
        maxSeq: seq,
        perHour: new Map(),
        reasons: new Map(),
        perPort: new Map(),
      };
      this.batches.set(batchId, batch);
    }
    return batch;
  }

  #port(port: string): PortTrack {
    let track = this.#ports.get(port);
    if (!track) {
      track = { inHand: null, last: null };
      this.#ports.set(port, track);
    }
    return track;
  }
}
