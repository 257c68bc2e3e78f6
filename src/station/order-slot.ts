/**
 * A unit under a work order: admitted through the order's gate before anything is written to it, and its slot
 * settled with its verdict. A gate whose shared store cannot answer refuses the unit untouched and stops the line.
 */
import { CredlineError, ExitCode } from '../errors/credline-error.js';
import type { Verdict } from './provision-unit.js';
import type { OrderGate } from './station-types.js';

/** The reason code of a unit refused because the central store could not be asked (the line then stops). */
export const RESERVE_FAILED = 'reserve-failed';

/** Where a unit under a work order stands: whether anything was written to it (its serial is then spent on a FAIL). */
export interface Slot {
  written: boolean;
}

/**
 * Admits a unit through the order's gate. A gate that cannot answer (its shared slots' store is gone: a CredlineError
 * with the hardware exit code) refuses the unit untouched as `reserve-failed` and stops the line.
 */
export async function admitUnit(
  gate: OrderGate,
  serial: string | null,
  port: string,
): Promise<
  | { admitted: true; serial: string }
  | { admitted: false; reason: string; text: string; stopLine?: CredlineError }
> {
  try {
    return await gate.admit(serial, port);
  } catch (error) {
    if (!(error instanceof CredlineError) || error.exitCode !== ExitCode.transport) throw error;
    return { admitted: false, reason: RESERVE_FAILED, text: error.message, stopLine: error };
  }
}

/**
 * Runs a unit holding an order slot, and settles the slot with its verdict (also when the line has to stop). A slot
 * that cannot be settled where it is shared (its store is gone) keeps the unit's verdict and stops the line; the
 * next run settles it from the evidence.
 */
export async function underSlot(
  gate: OrderGate,
  serial: string,
  port: string,
  run: (slot: Slot) => Promise<Verdict>,
): Promise<Verdict> {
  const slot: Slot = { written: false };
  let verdict: Verdict;
  try {
    verdict = await run(slot);
  } catch (error) {
    await gate.settle(serial, 'fail', slot.written, port).catch(() => undefined);
    throw error;
  }
  try {
    await gate.settle(serial, verdict.result === 'PASS' ? 'pass' : 'fail', slot.written, port);
  } catch (error) {
    if (!(error instanceof CredlineError) || error.exitCode !== ExitCode.transport) throw error;
    return { ...verdict, stopLine: verdict.stopLine ?? error };
  }
  return verdict;
}
