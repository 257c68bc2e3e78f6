/**
 * Work orders across stations: the order's slots and serials in the central store are bounded by constraints.
 * Claims racing on two connections never grant more than the quantity; a released slot and serial come back, a
 * spent serial does not, a PASS ends both; a blank unit gets the first free serial; a list must be the order's;
 * another order under the same id is refused; the station role cannot write the tables directly, and the
 * constraints hold even for the owner writing around the functions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  centralOrderFigures,
  claimOrderUnit,
  connectCentral,
  openOrderClaims,
  registerCentralOrder,
  settleOrderUnit,
  type CentralClient,
} from '../../src/central/index.js';
import { orderHashOf, readSerialList } from '../../src/orders/index.js';
import { signedOrder, tempDir } from '../orders/fixtures.js';
import { havePostgresServer } from '../support/postgres.js';
import { startCentral, type CentralFixture } from './helpers.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ready = havePostgresServer('central work order tests');

describe.skipIf(!ready)('work orders in the central store', () => {
  let central: CentralFixture;
  let line1: CentralClient;
  let line2: CentralClient;
  let owner: CentralClient;
  beforeAll(async () => {
    central = await startCentral();
    line1 = await connectCentral(central.station('line1'));
    line2 = await connectCentral(central.station('line2'));
    owner = await connectCentral(central.owner);
  });
  afterAll(async () => {
    await line1?.end();
    await line2?.end();
    await owner?.end();
    central?.cluster.destroy();
  });

  const register = async (client: CentralClient, stationId: string, orderId: string, quantity = 10) => {
    const order = signedOrder({ orderId, quantity });
    return registerCentralOrder(client, central.station(stationId as 'line1'), {
      stationId,
      orderId,
      orderHash: orderHashOf(order),
      signedOrder: order,
    });
  };
  const claim = (client: CentralClient, stationId: string, orderId: string, serial: string | null) =>
    claimOrderUnit(client, central.station(stationId as 'line1'), { stationId, orderId, serial, port: 'p1' });

  it('never grants more than the quantity to two stations claiming at once', async () => {
    expect(await register(line1, 'line1', 'WO-RACE')).toBe(true);
    expect(await register(line2, 'line2', 'WO-RACE')).toBe(false);
    // Eight connections (four per station) claim two units each, all at once: 16 units for 10 slots.
    const clients = await Promise.all(
      Array.from({ length: 8 }, (_, i) => connectCentral(central.station(i % 2 === 0 ? 'line1' : 'line2'))),
    );
    const claims = (
      await Promise.all(
        clients.map(async (client, i) => {
          const stationId = i % 2 === 0 ? 'line1' : 'line2';
          const first = await claim(client, stationId, 'WO-RACE', null);
          return [first, await claim(client, stationId, 'WO-RACE', null)];
        }),
      )
    ).flat();
    await Promise.all(clients.map((c) => c.end()));
    const granted = claims.filter((c) => c.granted);
    expect(granted).toHaveLength(10);
    expect(new Set(granted.map((c) => c.granted && c.serial)).size).toBe(10);
    expect(claims.filter((c) => !c.granted).map((c) => !c.granted && c.reason)).toEqual(
      Array(6).fill('order-exhausted'),
    );
    const figures = await centralOrderFigures(line1, central.station('line1'), {
      stationId: 'line1',
      orderId: 'WO-RACE',
    });
    expect(figures).toMatchObject({ quantity: 10, pass: 0, reserved: 10, refused: 6, remaining: 0 });
    expect(figures.stations).toEqual(['line1', 'line2']);
  });

  it('gives a released slot and serial back, never a spent serial, and a PASS ends both', async () => {
    await register(line1, 'line1', 'WO-CYCLE', 2);
    const target = central.station('line1');
    const a = await claim(line1, 'line1', 'WO-CYCLE', 'KL2301-100001');
    const b = await claim(line1, 'line1', 'WO-CYCLE', null);
    expect(b).toMatchObject({ granted: true, serial: 'KL2301-100002' });
    expect(await claim(line2, 'line2', 'WO-CYCLE', 'KL2301-100003')).toMatchObject({
      granted: false,
      reason: 'order-exhausted',
    });
    if (!a.granted || !b.granted) throw new Error('claims');
    const settle = (c: typeof a, outcome: 'pass' | 'released' | 'spent') =>
      settleOrderUnit(line1, target, { stationId: 'line1', orderId: 'WO-CYCLE', ...c, outcome });
    expect(await settle(a, 'released')).toBe('released');
    expect(await settle(a, 'pass')).toBe('released'); // settled once
    const again = await claim(line2, 'line2', 'WO-CYCLE', null);
    expect(again).toMatchObject({ granted: true, serial: 'KL2301-100001', slot: a.slot, use: 1 });
    await expect(
      settleOrderUnit(line1, target, {
        stationId: 'line1',
        orderId: 'WO-CYCLE',
        ...(again as typeof a),
        outcome: 'pass',
      }),
    ).rejects.toMatchObject({ code: 'CENTRAL_NOT_REGISTERED' }); // not line1's claim
    await settleOrderUnit(line2, central.station('line2'), {
      stationId: 'line2',
      orderId: 'WO-CYCLE',
      ...(again as typeof a),
      outcome: 'spent',
    });
    expect(await claim(line1, 'line1', 'WO-CYCLE', 'KL2301-100001')).toMatchObject({
      granted: false,
      reason: 'order-serial-used',
      text: 'serial KL2301-100001 is already spent under work order WO-CYCLE',
    });
    expect(await claim(line1, 'line1', 'WO-CYCLE', 'KL2301-100002')).toMatchObject({
      reason: 'order-serial-used',
    });
    await settle(b, 'pass');
    const c = await claim(line1, 'line1', 'WO-CYCLE', null);
    expect(c).toMatchObject({ granted: true, serial: 'KL2301-100003' });
    expect(await claim(line1, 'line1', 'WO-CYCLE', 'KL2399-1')).toMatchObject({ reason: 'outside-order' });
    expect(await openOrderClaims(line1, target, { stationId: 'line1', orderId: 'WO-CYCLE' })).toEqual([
      { serial: 'KL2301-100003', slot: (c as { slot: number }).slot, use: (c as { use: number }).use },
    ]);
    expect(
      await centralOrderFigures(line1, target, { stationId: 'line1', orderId: 'WO-CYCLE' }),
    ).toMatchObject({ pass: 1, fail: 2, spent: 1, reserved: 1, remaining: 0, stationPass: 1 });
  });

  it('takes a list only when it is the order’s, and refuses another order under the same id', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'serials.txt'), 'L-1\nL-2\nL-3\n');
    const list = readSerialList(join(dir, 'serials.txt'));
    const order = signedOrder({
      orderId: 'WO-LIST',
      quantity: 2,
      serials: { kind: 'list', sha256: list.sha256, count: 3 },
    });
    const base = {
      stationId: 'line1',
      orderId: 'WO-LIST',
      orderHash: orderHashOf(order),
      signedOrder: order,
    };
    await expect(
      registerCentralOrder(line1, central.station('line1'), { ...base, listSerials: ['L-1', 'L-2', 'L-4'] }),
    ).rejects.toMatchObject({ code: 'ORDER_CONFLICT', message: /the serial list given is not the order's/ });
    expect(
      await registerCentralOrder(line1, central.station('line1'), { ...base, listSerials: list.serials }),
    ).toBe(true);
    expect(await claim(line1, 'line1', 'WO-LIST', null)).toMatchObject({ serial: 'L-1' });
    const other = signedOrder({ orderId: 'WO-LIST', quantity: 3 });
    await expect(
      registerCentralOrder(line2, central.station('line2'), {
        stationId: 'line2',
        orderId: 'WO-LIST',
        orderHash: orderHashOf(other),
        signedOrder: other,
      }),
    ).rejects.toMatchObject({ code: 'ORDER_CONFLICT', exitCode: 2 });
  });

  it('lets no station write the tables directly, and holds the bounds for the owner too', async () => {
    await register(line1, 'line1', 'WO-DIRECT', 1);
    await expect(
      line1.query(
        `INSERT INTO credline.order_claims (order_id, quantity, slot_no, slot_use, serial, serial_use, pool_position,
           assigned, station_id) VALUES ('WO-DIRECT', 1, 1, 0, 'KL2301-100001', 0, 1, false, 'line1')`,
      ),
    ).rejects.toMatchObject({ code: '42501' });
    const insert = (slot: number, use: number, serial: string, serialUse = 0) =>
      owner.query(
        `INSERT INTO credline.order_claims (order_id, quantity, slot_no, slot_use, serial, serial_use, pool_position,
           assigned, station_id) VALUES ('WO-DIRECT', 1, $1, $2, $3, $4, $5, false, 'line1')`,
        [slot, use, serial, serialUse, Number(serial.slice(-2))],
      );
    await insert(1, 0, 'KL2301-100001');
    await expect(insert(2, 0, 'KL2301-100002')).rejects.toMatchObject({ code: '23514' }); // beyond the quantity
    await expect(insert(1, 1, 'KL2301-100002')).rejects.toMatchObject({ code: '23503' }); // slot still held
    await expect(insert(1, 0, 'KL2301-100003')).rejects.toMatchObject({ code: '23505' });
    await expect(owner.query(`DELETE FROM credline.order_claims`)).rejects.toMatchObject({ code: 'CL002' });
  });
});
