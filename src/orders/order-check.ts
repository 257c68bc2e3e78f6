/**
 * The checks before a run under a work order, each refused with one line (exit 2): the signature, the signer the
 * station trusts, the line key, the profile and its hash, the station, the validity window.
 */
import { usageError } from '../errors/credline-error.js';
import { signatureValid } from './document-signing.js';
import { ORDER_LABEL } from './order-document.js';
import type { SignedOrder } from './order-types.js';

export interface OrderRunFacts {
  /** The order keys the station trusts (key ids); empty trusts none. */
  trustedSigners: readonly string[];
  lineKeyId: string;
  profileId: string;
  profileHash: string;
  stationId: string;
  now: Date;
}

/** Throws ORDER_SIGNATURE when the document is not signed by the key it names. */
export function assertOrderSigned(signed: SignedOrder, file: string): void {
  if (!signatureValid(ORDER_LABEL, signed.order, signed.signature)) {
    throw usageError(
      'ORDER_SIGNATURE',
      `${file}: the work order's signature does not verify (altered, or not signed by key ${signed.signature.keyId})`,
    );
  }
}

/**
 * Checks a signed order against the run it is to bound. Throws ORDER_SIGNATURE, ORDER_SIGNER, ORDER_KEY,
 * ORDER_PROFILE, ORDER_STATION or ORDER_VALIDITY.
 */
export function assertOrderFitsRun(signed: SignedOrder, file: string, run: OrderRunFacts): void {
  assertOrderSigned(signed, file);
  const { order, signature } = signed;
  const name = `work order ${order.orderId}`;
  if (!run.trustedSigners.includes(signature.keyId)) {
    throw usageError(
      'ORDER_SIGNER',
      `${name} is signed by order key ${signature.keyId}, which this run does not trust (--order-signer KEY_ID)`,
    );
  }
  if (order.lineKeyId !== run.lineKeyId) {
    throw usageError(
      'ORDER_KEY',
      `${name} is for line key ${order.lineKeyId}, but the key given is ${run.lineKeyId}`,
    );
  }
  if (order.profileId !== run.profileId || order.profileHash !== run.profileHash) {
    throw usageError(
      'ORDER_PROFILE',
      `${name} is for profile ${order.profileId} with hash ${order.profileHash.slice(0, 16)}…, ` +
        `but the profile given is ${run.profileId} with hash ${run.profileHash.slice(0, 16)}…`,
    );
  }
  if (!order.stations.includes(run.stationId)) {
    throw usageError(
      'ORDER_STATION',
      `${name} does not allow station ${run.stationId} (it allows ${order.stations.join(', ')})`,
    );
  }
  const at = run.now.getTime();
  if (at < Date.parse(order.validFrom) || at >= Date.parse(order.validUntil)) {
    throw usageError(
      'ORDER_VALIDITY',
      `${name} is valid from ${order.validFrom} until ${order.validUntil}, not at ${run.now.toISOString()}`,
    );
  }
}
