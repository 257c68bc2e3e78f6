/**
 * A run's wind-down: the chain head signed with the station key, and the order report written. When the line had to
 * stop, a failure here is only reported (the line's own error is the one that counts).
 */
import type { EvidenceStore } from '../evidence/index.js';
import type { OpenedKey } from '../keys/index.js';
import { writeOrderReport, type OrderPlan } from './run-order.js';
import type { SharedOrderSlots } from './station-types.js';

/** Writes the signed order report; when the line had to stop, a failure to write it is only reported. */
export async function reportOrder(
  store: EvidenceStore,
  order: OrderPlan,
  station: { stationId: string; seed: Uint8Array },
  shared: SharedOrderSlots | undefined,
  lineStopped: boolean,
  notice: (text: string) => void,
): Promise<void> {
  try {
    await writeOrderReport(store, order, station, shared, notice);
  } catch (error) {
    if (!lineStopped) throw error;
    notice(
      'the order report could not be written (see the error below); credline order report can write it later',
    );
  }
}

/** Signs the chain head with the station key; when the line had to stop, a signing failure is only reported. */
export function signChainHead(
  store: EvidenceStore,
  station: OpenedKey | undefined,
  stationId: string,
  lineStopped: boolean,
  notice: (text: string) => void,
): void {
  if (!station) {
    notice('no --station-key: the chain head was not signed (credline evidence checkpoint can do it later)');
    return;
  }
  try {
    const cp = store.writeCheckpoint(station.secret, { stationId, reason: 'run-end' });
    notice(
      `chain head ${cp.headSeq}:${cp.headHash.slice(0, 16)}… signed by station key ${station.header.keyId}`,
    );
  } catch (error) {
    if (!lineStopped) throw error;
    notice('the chain head could not be signed (see the error below)');
  }
}
