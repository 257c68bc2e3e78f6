/**
 * `provision --order FILE` and its companions: the options, their cross-option rules, and the order as a plan
 * (read here; its checks run in the station once the run's facts are known).
 */
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { usageError } from '../errors/credline-error.js';
import { readOrderFile } from '../orders/index.js';
import type { OrderPlan } from '../station/index.js';

export interface OrderOptions {
  order?: string;
  orderSigner: string[];
  orderSerials?: string;
  orderReport?: string;
  db: string;
  station: string;
}

export function addOrderOptions(cmd: Command): void {
  cmd
    .option(
      '--order <FILE>',
      'signed work order bounding the run: serials, quantity of PASS units, stations, validity (needs --station-key)',
    )
    .option(
      '--order-signer <KEY_ID>',
      'an order key the station trusts (repeatable): the work order must be signed by one (credline order show prints the signer)',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .option('--order-serials <FILE>', "the work order's serial list, when it allows the serials of a list")
    .option(
      '--order-report <FILE>',
      'where the signed order report is written at the end of the run (default: ORDER_ID-STATION.report.json beside --db)',
    );
}

/** The work order as read, or undefined without --order; refuses order options given without it. */
export function orderPlanOf(opts: OrderOptions): OrderPlan | undefined {
  if (opts.order === undefined) {
    const orderOnly = [opts.orderSerials && '--order-serials', opts.orderReport && '--order-report'].find(
      Boolean,
    );
    if (orderOnly) throw usageError('ORDER_USAGE', `${orderOnly} is only used with --order FILE`);
    return undefined;
  }
  if (opts.orderSigner.length === 0) {
    throw usageError(
      'ORDER_SIGNER',
      '--order needs --order-signer KEY_ID: the order key the station trusts (credline order show FILE prints who signed it)',
    );
  }
  const signed = readOrderFile(opts.order);
  return {
    signed,
    file: opts.order,
    trustedSigners: opts.orderSigner,
    ...(opts.orderSerials === undefined ? {} : { serialsFile: opts.orderSerials }),
    reportFile:
      opts.orderReport ?? join(dirname(opts.db), `${signed.order.orderId}-${opts.station}.report.json`),
  };
}
