/** The options the evidence commands share, and the parsers of their values (commander InvalidArgumentError). */
import { InvalidArgumentError, Option } from 'commander';
import { CredlineError } from '../../errors/credline-error.js';
import { isIsoTimestamp } from '../../evidence/index.js';
import { readKeyFileHeader } from '../../keys/index.js';

export type OutputFormat = 'text' | 'json' | 'jsonl';

export interface CommonOptions {
  db: string;
  format: OutputFormat;
}

const DEFAULT_DB = './credline.db';

export function dbOption(): Option {
  return new Option('--db <FILE>', 'the evidence store').default(DEFAULT_DB);
}

export function formatOption(): Option {
  return new Option('--format <FORMAT>', 'output format').choices(['text', 'json', 'jsonl']).default('text');
}

/** `YYYY-MM-DD` or an ISO-8601 time with a zone, as the store's UTC timestamp. */
export function parseTimestamp(value: string): string {
  const normalised = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
  const date = new Date(normalised);
  if (!/Z$|[+-]\d\d:\d\d$/.test(normalised) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(
      'expected YYYY-MM-DD or an ISO-8601 time with a zone, e.g. 2026-11-24T08:00:00Z',
    );
  }
  const iso = date.toISOString();
  if (!isIsoTimestamp(iso)) throw new InvalidArgumentError('time out of range');
  return iso;
}

export function parseLimit(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
}

/** A repeatable `--station-public-key HEX`. */
export function parsePublicKey(value: string, previous: string[] = []): string[] {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new InvalidArgumentError(
      'expected 64 hex digits (an Ed25519 public key, as in the station key file)',
    );
  }
  return [...previous, value.toLowerCase()];
}

/** The public key in a station key file's header (`--station-key FILE`: no passphrase needed). */
export function stationPublicKeyOf(file: string): string {
  const header = readKeyFileHeader(file);
  if (header.kind !== 'station' || header.publicKey === undefined) {
    throw new CredlineError('KEY_KIND', `${file} is a ${header.kind} key; a station key is needed here`);
  }
  return header.publicKey;
}
