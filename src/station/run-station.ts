/**
 * The line loop: one state machine per port, all concurrently (gang mode). This station's intents left open by a
 * crash are closed as ABORTED before anything else, so a restart never inherits a false PASS, and each such unit is
 * reported with what to do (an `interrupted` event); a lock keeps a second
 * station with the same id off the file (station-lock.ts), and other stations' units in hand are left alone. With
 * several ports, evidence goes to a writer thread with group commit (src/evidence/evidence-writer.ts): no port
 * waits on another's fsync, and concurrent ports share fsyncs; with one port it is committed on this thread, where
 * a thread hop would only add latency. `stop()` finishes the units in hand; `abort()` ends them as ABORTED.
 */
import { setMaxListeners } from 'node:events';
import { createFingerprinter, createPasswordDeriver } from '../derive/index.js';
import { evidenceWriterFor, type EvidenceWriter } from '../evidence/index.js';
import { schemeParamsOf } from '../profiles/index.js';
import { runPortWorker } from './port-worker.js';
import { acquireStationLock } from './station-lock.js';
import type { EventRecord } from '../evidence/index.js';
import type { InterruptedEvent, StationConfig, StationEvent, StationSummary } from './station-types.js';
import { createTally } from './tally.js';

export interface StationRun {
  /** Resolves when every port worker has finished. */
  done: Promise<StationSummary>;
  /** Finish the units in hand, then stop. */
  stop(): void;
  /** Abort the units in hand (recorded as ABORTED), then stop. */
  abort(): void;
  /** The tally so far (what `done` resolves to; also there when `done` rejected because the line had to stop). */
  summary(): StationSummary;
}

/**
 * @example
 * const run = startStation({ profile, lineKey, keyId, store, batchId: 'B1', stationId: 'line1', ports: ['/dev/ttyUSB0'],
 *   count: 100, policy, onEvent: (e) => console.log(e) });
 * process.once('SIGINT', () => run.stop());
 * const summary = await run.done;
 */
export function startStation(config: StationConfig): StationRun {
  const stopping = new AbortController();
  const aborting = new AbortController();
  setMaxListeners(0, stopping.signal, aborting.signal); // every port waits on them
  const tally = createTally(config.clockMs ?? (() => performance.now()));
  const profile = config.profile.profile;
  const derive = createPasswordDeriver(config.lineKey, schemeParamsOf(profile));
  const fingerprint = createFingerprinter(config.lineKey);
  let claimed = 0;
  const claim = (): boolean => {
    if (config.count !== undefined && claimed >= config.count) return false;
    claimed++;
    if (config.count !== undefined && claimed >= config.count) stopping.abort();
    return true;
  };
  const onEvent = (event: StationEvent): void => {
    if (event.type === 'device') tally.count(event.result);
    config.onEvent(event, tally.snapshot());
  };
  const releaseLock = acquireStationLock(config.store.file, config.stationId);
  let evidence: EvidenceWriter;
  try {
    const interrupted = config.store.closeStationIncompleteAsAborted(
      config.stationId,
      'no result was recorded before the station stopped (found at start-up)',
    );
    for (const unit of interrupted) onEvent(interruptedEvent(config, unit));
    evidence = config.evidence ?? evidenceWriterFor(config.store, config.ports.length);
  } catch (error) {
    releaseLock();
    throw error;
  }
  const shared = {
    report: onEvent,
    derive,
    fingerprint,
    evidence,
    inHand: new Map<string, string>(),
    claim,
    stopping: stopping.signal,
    aborting: aborting.signal,
  };
  const workers = config.ports.map((port) =>
    runPortWorker(config, shared, port).catch((error: unknown) => {
      // A fatal error (evidence store, fingerprint collision) stops every port: the line must not go on.
      stopping.abort();
      aborting.abort();
      throw error;
    }),
  );
  let stoppedByOperator = false;
  const summary = (): StationSummary => ({ ...tally.snapshot(), stoppedEarly: stoppedByOperator });
  const done = Promise.allSettled(workers).then(async (results) => {
    try {
      if (!config.evidence) await evidence.close();
    } finally {
      releaseLock();
    }
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return summary();
  });
  return {
    done,
    summary,
    stop: () => {
      stoppedByOperator = true;
      stopping.abort();
    },
    abort: () => {
      stoppedByOperator = true;
      stopping.abort();
      aborting.abort();
    },
  };
}

/**
 * A unit found interrupted at start-up, with what to do: it may hold a password without a label. One that never
 * passed is provisioned as normal when it is back in a fixture; one that had passed before (it was being
 * re-provisioned) needs --reprovision again.
 */
function interruptedEvent(config: StationConfig, closed: EventRecord): InterruptedEvent {
  const passed = config.store.findPassInProduct(closed.serial, config.profile.profile.id);
  const advice = passed
    ? `re-seat it and re-provision it with the reason: --reprovision ${closed.serial} --reason TEXT (it passed before, evidence seq ${passed.seq})`
    : 're-seat it and provision it again (it gets the same password; its label was never printed)';
  return {
    type: 'interrupted',
    serial: closed.serial,
    port: closed.port,
    intentSeq: closed.intentSeq ?? closed.seq,
    startedAt: closed.startedAt,
    advice,
  };
}
