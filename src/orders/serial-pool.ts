/**
 * The serials an order allows: whether a serial is one of them, and which one to give a blank unit next. A range
 * is `prefix` + a `width`-digit zero-padded number; a list is a file of serials, one a line, named by the SHA-256
 * of its canonical text (each line trimmed, blank lines dropped, LF-terminated), so CRLF or trailing spaces in a
 * copy do not change its identity.
 */
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';
import type { SerialSpec } from './order-types.js';

export interface SerialPool {
  /** True when the (canonical) serial is one the order allows. */
  has(serial: string): boolean;
  /** The allowed serials in order (ascending range, or list order), lazily. */
  serials(): Iterable<string>;
  size: number;
}

/** The serials of a list file, canonical, with the hash an order names it by. */
export function readSerialList(file: string): { serials: string[]; sha256: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError('ORDER_SERIALS', `cannot read serial list ${file}: ${fsErrorText(error)}`, error);
  }
  const serials = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const seen = new Set<string>();
  serials.forEach((s, i) => {
    if (seen.has(s))
      throw usageError('ORDER_SERIALS', `${file}: serial ${s} is listed twice (again on line ${i + 1})`);
    seen.add(s);
  });
  const canonical = serials.map((s) => `${s}\n`).join('');
  return { serials, sha256: Buffer.from(sha256(new TextEncoder().encode(canonical))).toString('hex') };
}

/** The pool of a range spec, or of a list spec with its list file (checked against the order's hash). */
export function serialPoolOf(spec: SerialSpec, listFile?: string): SerialPool {
  if (spec.kind === 'range') {
    const { prefix, width, first, last } = spec;
    const shape = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d{${width}})$`);
    return {
      size: last - first + 1,
      has(serial) {
        const m = shape.exec(serial);
        if (!m?.[1]) return false;
        const n = Number(m[1]);
        return n >= first && n <= last;
      },
      *serials() {
        for (let n = first; n <= last; n++) yield `${prefix}${String(n).padStart(width, '0')}`;
      },
    };
  }
  if (listFile === undefined) {
    throw usageError(
      'ORDER_SERIALS',
      'this order allows the serials of a list file: give it with --order-serials FILE',
    );
  }
  const list = readSerialList(listFile);
  if (list.sha256 !== spec.sha256 || list.serials.length !== spec.count) {
    throw usageError(
      'ORDER_SERIALS',
      `${listFile} is not the order's serial list (SHA-256 ${list.sha256.slice(0, 16)}…, ${list.serials.length} serials; ` +
        `the order names ${spec.sha256.slice(0, 16)}…, ${spec.count})`,
    );
  }
  const set = new Set(list.serials);
  return { size: set.size, has: (serial) => set.has(serial), serials: () => list.serials };
}
