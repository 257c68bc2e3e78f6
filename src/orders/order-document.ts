/**
 * Reading a work order file: JSON, every field present and well formed, no unknown field (an error names the file,
 * the JSON path and what was expected). The signature is checked separately (order-check.ts), so `order show` can
 * display a document whose signature is bad.
 */
import { readFileSync } from 'node:fs';
import { usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';
import type { DocumentSignature, SerialSpec, SignedOrder, WorkOrder } from './order-types.js';

export const ORDER_FORMAT = 'credline-work-order';
/** Domain label of an order signature. */
export const ORDER_LABEL = 'credline/work-order/v1';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const HEX = (n: number): RegExp => new RegExp(`^[0-9a-f]{${n}}$`);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const MAX_QUANTITY = 10_000_000;
/** 1..200 characters, none a control character. */
const NAME = /^\P{Cc}{1,200}$/u;

class Reader {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly value: unknown,
  ) {}

  fail(expected: string): never {
    const got = this.value === undefined ? 'nothing' : JSON.stringify(this.value)?.slice(0, 40);
    throw usageError('ORDER_INVALID', `${this.file}: ${this.path}: expected ${expected}, got ${got}`);
  }

  object(fields: readonly string[]): (name: string) => Reader {
    const v = this.value;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail('an object');
    const record = v as Record<string, unknown>;
    const unknown = Object.keys(record).find((k) => !fields.includes(k));
    if (unknown !== undefined) {
      throw usageError(
        'ORDER_INVALID',
        `${this.file}: ${this.path}.${unknown}: unknown field (known: ${fields.join(', ')})`,
      );
    }
    return (name) => new Reader(this.file, `${this.path}.${name}`, record[name]);
  }

  text(pattern: RegExp, expected: string): string {
    if (typeof this.value !== 'string' || !pattern.test(this.value)) this.fail(expected);
    return this.value;
  }

  int(min: number, max: number): number {
    if (
      typeof this.value !== 'number' ||
      !Number.isInteger(this.value) ||
      this.value < min ||
      this.value > max
    ) {
      this.fail(`an integer ${min}..${max}`);
    }
    return this.value;
  }

  instant(): string {
    const t = this.text(ISO, 'an ISO-8601 UTC time like 2026-12-01T00:00:00Z');
    if (Number.isNaN(Date.parse(t))) this.fail('a real date and time');
    return t;
  }
}

function readSerials(r: Reader): SerialSpec {
  const kind = (r.value as { kind?: unknown } | null)?.kind;
  if (kind === 'range') {
    const f = r.object(['kind', 'prefix', 'width', 'first', 'last']);
    const width = f('width').int(1, 18);
    const first = f('first').int(0, 10 ** width - 1);
    const last = f('last').int(first, 10 ** width - 1);
    const prefix = f('prefix').text(/^[\x21-\x7e]{0,64}$/, 'a prefix of printable ASCII without spaces');
    return { kind, prefix, width, first, last };
  }
  if (kind === 'list') {
    const f = r.object(['kind', 'sha256', 'count']);
    return {
      kind,
      sha256: f('sha256').text(HEX(64), '64 lowercase hex digits'),
      count: f('count').int(1, MAX_QUANTITY),
    };
  }
  return new Reader(r.file, `${r.path}.kind`, kind).fail('"range" or "list"');
}

function readOrder(r: Reader): WorkOrder {
  const f = r.object([
    'orderId',
    'product',
    'profileId',
    'profileHash',
    'lineKeyId',
    'serials',
    'quantity',
    'validFrom',
    'validUntil',
    'stations',
    'issuedAt',
  ]);
  const stations = f('stations');
  if (!Array.isArray(stations.value) || stations.value.length === 0)
    stations.fail('a non-empty list of station ids');
  const order: WorkOrder = {
    orderId: f('orderId').text(ID, 'an order id (letters, digits, . _ : / -; up to 64)'),
    product: f('product').text(NAME, 'the product in words (1..200 characters)'),
    profileId: f('profileId').text(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a profile id'),
    profileHash: f('profileHash').text(HEX(64), '64 lowercase hex digits (the profile hash)'),
    lineKeyId: f('lineKeyId').text(HEX(16), '16 lowercase hex digits (the line key id)'),
    serials: readSerials(f('serials')),
    quantity: f('quantity').int(1, MAX_QUANTITY),
    validFrom: f('validFrom').instant(),
    validUntil: f('validUntil').instant(),
    stations: (stations.value as unknown[]).map((s, i) =>
      new Reader(r.file, `${stations.path}[${i}]`, s).text(NAME, 'a station id'),
    ),
    issuedAt: f('issuedAt').instant(),
  };
  if (Date.parse(order.validUntil) <= Date.parse(order.validFrom)) {
    f('validUntil').fail(`a time after validFrom (${order.validFrom})`);
  }
  const available =
    order.serials.kind === 'range' ? order.serials.last - order.serials.first + 1 : order.serials.count;
  if (order.quantity > available) f('quantity').fail(`at most the ${available} serials the order allows`);
  return order;
}

export function readSignature(r: Reader | { file: string; path: string; value: unknown }): DocumentSignature {
  const reader = r instanceof Reader ? r : new Reader(r.file, r.path, r.value);
  const f = reader.object(['algorithm', 'keyId', 'publicKey', 'value']);
  f('algorithm').text(/^Ed25519$/, '"Ed25519"');
  return {
    algorithm: 'Ed25519',
    keyId: f('keyId').text(HEX(16), '16 lowercase hex digits'),
    publicKey: f('publicKey').text(HEX(64), '64 lowercase hex digits'),
    value: f('value').text(HEX(128), '128 lowercase hex digits'),
  };
}

/** Reads a JSON document file; a missing file or bad JSON is one line naming the file. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError('ORDER_READ', `cannot read ${what} ${file}: ${fsErrorText(error)}`, error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw usageError('ORDER_INVALID', `${file}: not JSON (${(error as Error).message})`, error);
  }
}

/** Validates a signed order's structure (not its signature). */
export function parseSignedOrder(value: unknown, file: string): SignedOrder {
  const f = new Reader(file, '$', value).object(['format', 'version', 'order', 'signature']);
  f('format').text(new RegExp(`^${ORDER_FORMAT}$`), `"${ORDER_FORMAT}"`);
  f('version').int(1, 1);
  return {
    format: ORDER_FORMAT,
    version: 1,
    order: readOrder(f('order')),
    signature: readSignature(f('signature')),
  };
}

/** Reads and validates a work order file. */
export function readOrderFile(file: string): SignedOrder {
  return parseSignedOrder(readJsonFile(file, 'work order'), file);
}

export { Reader as DocumentReader };
