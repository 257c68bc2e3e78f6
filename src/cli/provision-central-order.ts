/**
 * `provision --order FILE --central URL --central-mode reserve`: the order's slots shared through the central store.
 * One connection of its own, opened once the station has checked the order; its queries go one at a time (ports
 * ask concurrently). The order is registered with its serial pool; each unit is claimed before anything is written
 * to it and settled with its verdict; what this station left open when it last stopped is settled from the evidence.
 */
import type { CentralClient, CentralTarget } from '../central/index.js';
import type { OrderPlan, SharedOrderSlots } from '../station/index.js';

export interface CentralOrderSlots {
  /** The factory the station calls once the order is checked. */
  open: NonNullable<OrderPlan['shared']>;
  close(): Promise<void>;
}

export function centralOrderSlots(target: CentralTarget, stationId: string): CentralOrderSlots {
  let client: CentralClient | undefined;
  return {
    open: async ({ signed, orderHash, listSerials }) => {
      const central = await import('../central/index.js');
      client = await central.connectCentral(target);
      const connection = client;
      let queue: Promise<unknown> = Promise.resolve();
      const inTurn = <T>(ask: () => Promise<T>): Promise<T> => {
        const answer = queue.then(ask, ask);
        queue = answer.catch(() => undefined);
        return answer;
      };
      const { orderId } = signed.order;
      const order = { stationId, orderId };
      await central.registerCentralOrder(connection, target, {
        ...order,
        orderHash,
        signedOrder: signed,
        ...(listSerials ? { listSerials } : {}),
      });
      const settle = (slot: number, use: number, outcome: 'pass' | 'released' | 'spent', reason?: string) =>
        inTurn(() =>
          central.settleOrderUnit(connection, target, {
            ...order,
            slot,
            use,
            outcome,
            ...(reason === undefined ? {} : { reason }),
          }),
        );
      const slots: SharedOrderSlots = {
        where: central.describeCentral(target),
        async claim(serial, port) {
          const claim = await inTurn(() =>
            central.claimOrderUnit(connection, target, { ...order, serial, port }),
          );
          if (!claim.granted) return { admitted: false, reason: claim.reason, text: claim.text };
          return {
            admitted: true,
            serial: claim.serial,
            settle: async (outcome, reason) => void (await settle(claim.slot, claim.use, outcome, reason)),
          };
        },
        async recover(passed) {
          const open = await inTurn(() => central.openOrderClaims(connection, target, order));
          for (const claim of open)
            await settle(claim.slot, claim.use, passed(claim.serial) ? 'pass' : 'spent', 'interrupted');
          return open.length;
        },
        figures: () => inTurn(() => central.centralOrderFigures(connection, target, order)),
      };
      return slots;
    },
    close: async () => {
      await client?.end().catch(() => undefined);
    },
  };
}
