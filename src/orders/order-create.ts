/**
 * Making a work order: the product owner's fields, checked as a reader would check them, signed with the order key.
 *
 * @example
 * const signed = createSignedOrder({ orderId: 'WO-1', … }, orderSeed);
 * writeFileSync('WO-1.order.json', formatSignedOrder(signed));
 */
import { signDocument } from './document-signing.js';
import { ORDER_FORMAT, ORDER_LABEL, parseSignedOrder } from './order-document.js';
import type { SignedOrder, WorkOrder } from './order-types.js';

/** Signs `order` with a 32-byte Ed25519 seed; throws ORDER_INVALID (naming the field) for a malformed order. */
export function createSignedOrder(order: WorkOrder, seed: Uint8Array, source = 'the order'): SignedOrder {
  const signed: SignedOrder = {
    format: ORDER_FORMAT,
    version: 1,
    order,
    signature: signDocument(ORDER_LABEL, order, seed),
  };
  return parseSignedOrder(JSON.parse(JSON.stringify(signed)), source);
}

/** The file text of a signed document: pretty JSON (the signature covers the canonical form, not the layout). */
export function formatDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
