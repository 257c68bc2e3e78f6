/**
 * `provision --central URL | --central-env VAR [--central-mode push|reserve]`: the options, their rules, and the
 * central side of a run (the background push, and in reserve mode the connection that reserves each unit). The
 * central module and `pg` are loaded only when a central store is named.
 */
import { type Command, Option } from 'commander';
import { usageError } from '../errors/credline-error.js';
import type { CentralTarget } from '../central/index.js';
import type { UnitReserver } from '../station/index.js';
import type { CentralOrderSlots } from './provision-central-order.js';
import type { CentralPush } from './provision-central.js';

export interface CentralOptions {
  central?: string;
  centralEnv?: string;
  centralMode: 'push' | 'reserve';
}

export function addCentralOptions(cmd: Command): void {
  cmd
    .option(
      '--central <URL>',
      'push the evidence to the central store in the background while the line runs (the line never waits)',
    )
    .option('--central-env <VAR>', 'the central store URL (which may carry a password) from this variable')
    .addOption(
      new Option(
        '--central-mode <MODE>',
        'push: push after the fact (conflicts are detected); reserve: reserve each serial and password centrally ' +
          'before the unit is touched (conflicts are prevented; the line stops when the store is unreachable)',
      )
        .choices(['push', 'reserve'])
        .default('push'),
    );
}

/** The central store named by the options, or undefined; reserve mode without one is refused. */
export async function centralTargetOf(opts: CentralOptions): Promise<CentralTarget | undefined> {
  const target =
    opts.central === undefined && opts.centralEnv === undefined
      ? undefined
      : (await import('../central/index.js')).centralTarget(opts);
  if (opts.centralMode === 'reserve' && target === undefined)
    throw usageError('CENTRAL_MODE', '--central-mode reserve needs --central URL (or --central-env VAR)');
  return target;
}

/**
 * A work order with a central store needs reserve mode: across stations an order's count is shared only through
 * the central store's reservations (push mode finds what was made after the fact).
 */
export function assertOrderMode(
  opts: CentralOptions,
  hasOrder: boolean,
  target: CentralTarget | undefined,
): void {
  if (hasOrder && target !== undefined && opts.centralMode !== 'reserve')
    throw usageError(
      'ORDER_CENTRAL_MODE',
      '--order with a central store needs --central-mode reserve: the order is then counted centrally, shared by ' +
        'every station (push mode only finds afterwards what was made)',
    );
}

export interface CentralSide {
  /** The background push, started once awaited. */
  push: Promise<CentralPush>;
  /** Reserve mode's unit reserver on its own connection, opened now (an unreachable store stops the run here). */
  reserving?: { reserve: UnitReserver; close: () => Promise<void> };
  /** Reserve mode under a work order: the order's slots shared through the central store. */
  orderSlots?: CentralOrderSlots;
  close(): Promise<void>;
}

/** Starts the central side of a run: the push, and in reserve mode the reserving connection (and order slots). */
export async function startCentralSide(
  target: CentralTarget,
  mode: CentralOptions['centralMode'],
  run: { dbFile: string; stationId: string; hasOrder: boolean },
): Promise<CentralSide> {
  const central = await import('./provision-central.js');
  const push = central.startCentralPush(target, run);
  const reserving = mode === 'reserve' ? await central.startCentralReserve(target, run.stationId) : undefined;
  const orderSlots =
    reserving && run.hasOrder
      ? (await import('./provision-central-order.js')).centralOrderSlots(target, run.stationId)
      : undefined;
  return {
    push,
    ...(reserving ? { reserving } : {}),
    ...(orderSlots ? { orderSlots } : {}),
    async close() {
      await reserving?.close();
      await orderSlots?.close();
    },
  };
}
