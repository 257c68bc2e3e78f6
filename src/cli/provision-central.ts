/**
 * `provision --central URL`: the station's file is pushed to the central store in the background while the line
 * runs (after the run starts and after every verdict), never making the line wait. The backlog shows in the status
 * line; a store that goes away or comes back is one notice on stderr; the end of the run makes a last push (the
 * signed head included) and says where the central copy stands. A refusal by the store (the file contradicts what
 * it holds) is named and makes the exit status 1; an unreachable store does not (the file is the journal of record:
 * `credline sync` pushes the rest).
 */
import type { BackgroundSync, BackgroundSyncState, CentralTarget } from '../central/index.js';
import type { RunEvent, StationTally, UnitReserver } from '../station/index.js';
import { CredlineError } from '../errors/credline-error.js';
import { reportExitCode } from './exit-status.js';
import type { ProvisionPrinter } from './provision-output.js';

export interface CentralPush {
  /** Wraps the printer: starts the pushes when the run starts, asks for one after each verdict. */
  printer(print: ProvisionPrinter): ProvisionPrinter;
  /** The status line's words about the central copy. */
  status(): string;
  /** After the run: the last push, and one line saying where the central copy stands. */
  finish(): Promise<void>;
}

export async function startCentralPush(
  target: CentralTarget,
  options: { dbFile: string; stationId: string },
): Promise<CentralPush> {
  const { describeCentral, startBackgroundSync } = await import('../central/index.js');
  const where = describeCentral(target);
  let sync: BackgroundSync | undefined;
  let reachable: boolean | null = null;
  let stoppedSaid = false;
  const notice = (text: string): void => void process.stderr.write(`credline: ${text}\n`);
  const onChange = (state: BackgroundSyncState): void => {
    if (state.stopped !== null && !stoppedSaid) {
      stoppedSaid = true;
      notice(`central store ${where}: pushes stopped: ${state.stopped}`);
    }
    if (state.reachable === reachable || state.reachable === null) return;
    const was = reachable;
    reachable = state.reachable;
    if (!state.reachable)
      notice(
        `central store unreachable (${state.lastError ?? 'no answer'}); the line goes on, ` +
          `${state.backlog} record(s) to push`,
      );
    else if (was === false)
      notice(`central store ${where} reachable again; backlog ${state.backlog} record(s)`);
  };
  return {
    printer: (print) => (event: RunEvent, tally: Readonly<StationTally>) => {
      if (event.type === 'start') {
        sync = startBackgroundSync({ file: options.dbFile, target, stationId: options.stationId, onChange });
        sync.kick();
      } else if (event.type === 'device') sync?.kick();
      print(event, tally);
    },
    status: () => {
      const state = sync?.state();
      if (state === undefined || state.reachable === null) return '';
      if (state.stopped !== null) return '  central: stopped';
      return state.reachable
        ? `  central backlog ${state.backlog}`
        : `  central unreachable, ${state.backlog} behind`;
    },
    async finish() {
      if (sync === undefined) return;
      const state = await sync.finish();
      if (state.findings.length > 0 || state.stopped !== null) {
        reportExitCode(1);
        return;
      }
      if (state.reachable)
        notice(
          `central store ${where}: station ${options.stationId} stored up to seq ${state.centralHead ?? 0}; ` +
            `backlog ${state.backlog}`,
        );
      else
        notice(
          `central store unreachable: ${state.backlog} record(s) of ${options.dbFile} not pushed yet; they are kept ` +
            `there: credline sync --db ${options.dbFile} --central URL pushes them`,
        );
    },
  };
}

/**
 * `--central-mode reserve`: one connection for the run, opened before the line starts (an unreachable store stops
 * the run there, exit 3); each unit's serial and password fingerprint are reserved before anything is written to
 * it. A unit held elsewhere FAILs untouched (`reserved-elsewhere`, naming the holder); a store that goes away stops
 * the line rather than go on blind.
 */
export async function startCentralReserve(
  target: CentralTarget,
  stationId: string,
): Promise<{ reserve: UnitReserver; close: () => Promise<void> }> {
  const { centralError, connectCentral, describeCentral, reserveUnit } = await import('../central/index.js');
  const client = await connectCentral(target);
  return {
    reserve: async (unit) => {
      let outcome;
      try {
        outcome = await reserveUnit(client, { ...unit, stationId });
      } catch (error) {
        const cause = centralError(target, error);
        throw new CredlineError(
          cause.code,
          `central store ${describeCentral(target)} could not reserve serial ${unit.serial} on ${unit.port} ` +
            `(${error instanceof Error ? error.message : String(error)}): the line stops rather than go on ` +
            'without reservations; nothing was written to the unit. Restore the connection, then run again',
          { exitCode: cause.exitCode, cause: error },
        );
      }
      return outcome.granted
        ? { granted: true }
        : { granted: false, reason: 'reserved-elsewhere', text: outcome.message };
    },
    close: () => client.end().catch(() => undefined),
  };
}
