/**
 * The line view over several stations: each station's chain is folded by its own aggregate (its own seq cursor),
 * and the view puts their tiles side by side, each named by station and port. The headline batch is the one most
 * recently recorded at any station; its tally adds up every station's records of it. A station running another
 * batch keeps its tiles, which then name their batch.
 */
import type { LineState, PortState, Tally, Verdict } from './console-source.js';
import type { LineAggregate } from './line-aggregate.js';

const RECENT_FAILURES = 8;

function add(into: Tally, from: Tally | undefined): void {
  if (!from) return;
  into.pass += from.pass;
  into.fail += from.fail;
  into.aborted += from.aborted;
  into.open += from.open;
}

/**
 * The line across `stations` (station id → its aggregate) at `now`.
 *
 * @example
 * fleetLineState(new Map([['line1', a1], ['line2', a2]]), new Date()).ports.map((p) => `${p.station} ${p.port}`);
 */
export function fleetLineState(stations: ReadonlyMap<string, LineAggregate>, now: Date): LineState {
  const states = [...stations]
    .sort(([a], [b]) => a.localeCompare(b, 'en'))
    .map(([station, aggregate]) => ({ station, aggregate, state: aggregate.lineState(now) }));
  let batchId: string | null = null;
  let newest = '';
  for (const { aggregate, state } of states) {
    const lastAt = state.batchId === null ? null : aggregate.batches.get(state.batchId)?.lastAt;
    if (lastAt && lastAt > newest) {
      newest = lastAt;
      batchId = state.batchId;
    }
  }
  const tally: Tally = { pass: 0, fail: 0, aborted: 0, open: 0 };
  const ports: PortState[] = [];
  const failures: Verdict[] = [];
  let devicesPerMinute = 0;
  let headSeq = 0;
  for (const { station, aggregate, state } of states) {
    if (batchId !== null) add(tally, aggregate.batches.get(batchId)?.tally);
    for (const port of state.ports) ports.push({ ...port, station, batchId: state.batchId });
    for (const f of state.recentFailures) failures.push({ ...f, station });
    devicesPerMinute += state.devicesPerMinute;
    headSeq += state.headSeq;
  }
  return {
    batchId,
    ports,
    tally,
    devicesPerMinute,
    recentFailures: failures
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .slice(0, RECENT_FAILURES),
    headSeq,
  };
}
