/** Work orders for tests: a signed order of 10 serials KL2301-100001 … 100010 for station line1. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSignedOrder, type SignedOrder, type WorkOrder } from '../../src/orders/index.js';

/** TEST ONLY: a fixed Ed25519 seed for the product owner's order key. */
export const OWNER_SEED = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i);
/** TEST ONLY: a fixed station seed for reports. */
export const STATION_SEED = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'credline-orders-'));
}

export function orderFields(over: Partial<WorkOrder> = {}): WorkOrder {
  return {
    orderId: 'WO-42',
    product: 'Acme Cam 2',
    profileId: 'credline-agent',
    profileHash: 'a'.repeat(64),
    lineKeyId: 'd9c183eb84616abf',
    serials: { kind: 'range', prefix: 'KL2301-', width: 6, first: 100001, last: 100010 },
    quantity: 10,
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: '2027-01-01T00:00:00Z',
    stations: ['line1', 'line2'],
    issuedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

export function signedOrder(over: Partial<WorkOrder> = {}): SignedOrder {
  return createSignedOrder(orderFields(over), OWNER_SEED);
}
