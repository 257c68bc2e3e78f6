/**
 * The order ledger on a real evidence store: never more PASS than the quantity however many units are in hand,
 * refusals for serials outside the order and once it is exhausted, blank units given the next unused serial, a
 * serial returned only when nothing was written, and a count that survives a crash and is shared between stations.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { OrderLedger, ORDER_REFUSALS, serialPoolOf, type Admission } from '../../src/orders/index.js';
import { signedOrder, tempDir } from './fixtures.js';

const serial = (n: number): string => `KL2301-${100000 + n}`;

function fresh(): { file: string; ledger: OrderLedger } {
  const file = join(tempDir(), 'line.db');
  const order = signedOrder();
  const ledger = OrderLedger.open(
    openEvidenceStore(file, { create: true }),
    order,
    serialPoolOf(order.order.serials),
  );
  return { file, ledger };
}

const admitted = (a: Admission): string => {
  if (!a.admitted) throw new Error(`refused: ${a.text}`);
  return a.serial;
};

describe('order ledger', () => {
  it('reserves before writing, so 16 units in hand on an order of 10 make at most 10 PASS', () => {
    const { ledger } = fresh();
    const results = Array.from({ length: 16 }, (_, i) =>
      ledger.admit(serial(i < 10 ? i + 1 : i - 9), 'line1', `p${i}`),
    );
    expect(results.filter((r) => r.admitted)).toHaveLength(10);
    expect(results.slice(10).map((r) => !r.admitted && r.reason)).toEqual(
      Array(6).fill(ORDER_REFUSALS.exhausted),
    );
    for (let i = 1; i <= 10; i++) ledger.settle(serial(i), 'pass', true, 'line1');
    expect(ledger.admit(serial(5), 'line1')).toMatchObject({
      admitted: false,
      reason: ORDER_REFUSALS.exhausted,
    });
    expect(ledger.figures()).toMatchObject({ pass: 10, fail: 0, refused: 7, remaining: 0, reserved: 0 });
  });

  it('refuses a serial outside the order, and one another unit holds', () => {
    const { ledger } = fresh();
    expect(ledger.admit('KL2301-100011', 'line1')).toMatchObject({
      admitted: false,
      reason: ORDER_REFUSALS.outside,
    });
    expect(ledger.admit('XX-100001', 'line1')).toMatchObject({
      admitted: false,
      reason: ORDER_REFUSALS.outside,
    });
    admitted(ledger.admit(serial(1), 'line1', 'p0'));
    expect(ledger.admit(serial(1), 'line1', 'p1')).toMatchObject({
      admitted: false,
      reason: ORDER_REFUSALS.used,
    });
  });

  it('gives a blank unit the next unused serial; a FAIL returns it only when nothing was written', () => {
    const { ledger } = fresh();
    admitted(ledger.admit(serial(1), 'line1'));
    expect(admitted(ledger.admit(null, 'line1'))).toBe(serial(2));
    ledger.settle(serial(2), 'fail', false, 'line1'); // nothing written: serial 2 goes back
    expect(admitted(ledger.admit(null, 'line1'))).toBe(serial(2));
    ledger.settle(serial(2), 'fail', true, 'line1'); // written, then failed: serial 2 is spent
    expect(admitted(ledger.admit(null, 'line1'))).toBe(serial(3));
    expect(ledger.admit(serial(2), 'line1')).toMatchObject({ admitted: false, reason: ORDER_REFUSALS.used });
    expect(ledger.figures()).toMatchObject({
      serialsUsed: [serial(1), serial(2), serial(3)],
      fail: 2,
      spent: 1,
      reserved: 2,
    });
  });

  it('keeps the count across a crash and shares it between stations on the same store', () => {
    const { file, ledger } = fresh();
    for (let i = 1; i <= 6; i++) admitted(ledger.admit(serial(i), 'line1'));
    for (let i = 1; i <= 4; i++) ledger.settle(serial(i), 'pass', true, 'line1');
    // line1 "crashes" with serials 5 and 6 reserved; line2 opens the same file meanwhile.
    const order = signedOrder();
    const other = OrderLedger.open(openEvidenceStore(file), order, serialPoolOf(order.order.serials));
    const line2 = Array.from({ length: 6 }, () => other.admit(null, 'line2'));
    expect(line2.map((r) => (r.admitted ? r.serial : r.reason))).toEqual([
      serial(7),
      serial(8),
      serial(9),
      serial(10),
      ORDER_REFUSALS.exhausted, // 4 PASS + 2 reserved by line1 + 4 = 10
      ORDER_REFUSALS.exhausted,
    ]);
    const reopened = OrderLedger.open(openEvidenceStore(file), order, serialPoolOf(order.order.serials));
    expect(reopened.recover('line1', order.order.lineKeyId)).toBe(2); // no PASS in the evidence: spent
    expect(reopened.figures()).toMatchObject({ pass: 4, spent: 2, reserved: 4, remaining: 2 });
    // Two slots are free again, but every serial of the order is held, passed or spent.
    expect(reopened.admit(null, 'line1')).toMatchObject({ admitted: false, reason: ORDER_REFUSALS.noneLeft });
  });
});
