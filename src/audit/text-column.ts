/**
 * A column of short texts (a batch's serials, MACs, IMEIs) kept as UTF-8 bytes in 1 MiB slabs with one packed
 * number per row, instead of one JS string per row: a million 14-character serials take ~22 MB instead of ~48 MB,
 * and the garbage collector has one object per slab to trace instead of one per row. A value is read back as a
 * new string, equal to the one pushed.
 */

/** What the rules read: a string array satisfies it too. */
export interface TextValues {
  readonly length: number;
  at(index: number): string | undefined;
}

const SLAB_BYTES = 1 << 20;
/** Values of this many UTF-8 bytes or more (rare in an identifier) are kept as strings. */
const LONG_BYTES = 4096;
/** A row kept as a string. */
const KEPT = -1;
const SURROGATE = /[\ud800-\udfff]/;

/**
 * @example
 * const serials = new TextColumn();
 * serials.push('KL2301-100001');
 * serials.at(0); // 'KL2301-100001'
 */
export class TextColumn implements TextValues {
  readonly #slabs: Buffer[] = [];
  /** Per row: (offset in the slabs × LONG_BYTES + byte length), or KEPT. */
  #rows = new Float64Array(1024);
  #length = 0;
  /** Bytes used in the last slab. */
  #used = SLAB_BYTES;
  readonly #kept = new Map<number, string>();

  get length(): number {
    return this.#length;
  }

  push(text: string): void {
    if (this.#length === this.#rows.length) {
      const grown = new Float64Array(this.#rows.length * 2);
      grown.set(this.#rows);
      this.#rows = grown;
    }
    const row = this.#length++;
    const bytes = text.length * 3 < LONG_BYTES ? -1 : Buffer.byteLength(text);
    if (bytes >= LONG_BYTES || SURROGATE.test(text)) {
      // A lone surrogate would not come back from UTF-8 unchanged (and outside the BMP is rare in an identifier).
      this.#kept.set(row, text);
      this.#rows[row] = KEPT;
      return;
    }
    if (SLAB_BYTES - this.#used < LONG_BYTES) {
      this.#slabs.push(Buffer.allocUnsafeSlow(SLAB_BYTES));
      this.#used = 0;
    }
    const slab = this.#slabs.length - 1;
    const written = (this.#slabs[slab] as Buffer).write(text, this.#used, 'utf8');
    this.#rows[row] = (slab * SLAB_BYTES + this.#used) * LONG_BYTES + written;
    this.#used += written;
  }

  at(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.#length) return undefined;
    const packed = this.#rows[index] as number;
    if (packed === KEPT) return this.#kept.get(index);
    const bytes = packed % LONG_BYTES;
    const offset = (packed - bytes) / LONG_BYTES;
    const slab = Math.floor(offset / SLAB_BYTES);
    const start = offset - slab * SLAB_BYTES;
    return (this.#slabs[slab] as Buffer).toString('utf8', start, start + bytes);
  }
}
