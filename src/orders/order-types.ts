/** A work order and what a station reports against it: the documents' shapes (docs/orders.md). */

/** The serials an order allows: a numbered range, or a list file named by its hash. */
export type SerialSpec =
  | {
      /** Serials `prefix` + the number zero-padded to `width` digits, from `first` to `last` inclusive. */
      kind: 'range';
      prefix: string;
      width: number;
      first: number;
      last: number;
    }
  | {
      /** Serials listed one per line in a file whose SHA-256 (of the canonical list text) is `sha256`. */
      kind: 'list';
      sha256: string;
      count: number;
    };

export interface WorkOrder {
  orderId: string;
  /** The product, in words, as the product owner names it. */
  product: string;
  profileId: string;
  /** SHA-256 of the canonical device profile (what `profiles show` prints): the exact profile to use. */
  profileHash: string;
  /** The line key the passwords must come from. */
  lineKeyId: string;
  serials: SerialSpec;
  /** PASS units the order allows. */
  quantity: number;
  /** ISO-8601 UTC instants: the order is valid from `validFrom` (inclusive) to `validUntil` (exclusive). */
  validFrom: string;
  validUntil: string;
  /** Station ids allowed to provision under the order. */
  stations: string[];
  /** ISO-8601 UTC: when the owner signed it. */
  issuedAt: string;
}

/** An Ed25519 signature over a document's domain-separated canonical bytes. */
export interface DocumentSignature {
  algorithm: 'Ed25519';
  /** The signer's key id: the first 16 hex digits of SHA-256(public key). */
  keyId: string;
  publicKey: string;
  /** 128 lowercase hex digits. */
  value: string;
}

export interface SignedOrder {
  format: 'credline-work-order';
  version: 1;
  order: WorkOrder;
  signature: DocumentSignature;
}

/** What a station did under an order, from the evidence store. */
export interface OrderReport {
  orderId: string;
  /** SHA-256 of the order's canonical signed bytes: which order exactly. */
  orderHash: string;
  quantity: number;
  /** Serials the order's units took, in the order they were first reserved (PASS, spent or in flight). */
  serialsUsed: string[];
  pass: number;
  /** Units that ended FAIL or ABORTED under the order. */
  fail: number;
  /** Serials lost to the order: written to a unit that then failed. */
  spent: number;
  /** Units refused: outside the order, or once it was exhausted. */
  refused: number;
  /** PASS units the order still allows. */
  remaining: number;
  /** The evidence chain head when the report was made. */
  chainHead: { seq: number; hash: string };
  stationId: string;
  generatedAt: string;
  /**
   * The order across every station sharing its slots (the central store's reserve mode), as that store gave them
   * when the report was made. The figures above are this station's store's own.
   */
  across?: OrderAcrossStations;
}

/** An order's figures across every station, from the store that shares its slots. */
export interface OrderAcrossStations {
  /** The store, as `postgresql://user@host:port/db` (never a password). */
  store: string;
  pass: number;
  fail: number;
  spent: number;
  refused: number;
  /** Claims not settled yet. */
  reserved: number;
  remaining: number;
  /** The stations that worked or were refused under the order. */
  stations: string[];
}

export interface SignedOrderReport {
  format: 'credline-order-report';
  version: 1;
  report: OrderReport;
  signature: DocumentSignature;
}
