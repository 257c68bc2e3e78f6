/**
 * The file side of an export: the many small strings of a formatter joined into ~64 KiB chunks, and buffers written
 * to an open file in order, hashed on the way, with one write in flight while the next is prepared. The event loop
 * turns between writes, so an abort (a failed worker, Ctrl-C) is seen within one chunk.
 */
import type { Hash } from 'node:crypto';
import { write, writev } from 'node:fs';
import { promisify } from 'node:util';

const writeAsync = promisify(write);
const writevAsync = promisify(writev);

/** How much text goes into one chunk: small enough that a chunk stays in the young generation. */
const CHUNK_CHARS = 64 * 1024;
/** Room for a chunk of CHUNK_CHARS plus one batch of records, mostly ASCII. */
const CHUNK_BUFFER_BYTES = 4 * CHUNK_CHARS;

/**
 * The texts joined into chunks of about CHUNK_CHARS characters (one batch of records may overshoot).
 *
 * @example for (const chunk of chunked(csvRecords(rows))) out.push(Buffer.from(chunk));
 */
export function* chunked(texts: Iterable<string>): Generator<string> {
  let pending: string[] = [];
  let pendingChars = 0;
  for (const text of texts) {
    pending.push(text);
    pendingChars += text.length;
    if (pendingChars < CHUNK_CHARS) continue;
    yield pending.join('');
    pending = [];
    pendingChars = 0;
  }
  if (pendingChars > 0) yield pending.join('');
}

export interface WriterOptions {
  /** Updated with every byte written, in order. */
  hash?: Hash;
  /** Stops the writing (write rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * Writes buffers to `fd` at its current offset, in order, hashing them first; one write is in flight while the
 * caller prepares the next, so a buffer passed to write() must stay untouched until the write after it has begun.
 *
 * @example
 * const writer = new HashedWriter(fd, { hash });
 * await writer.write([chunk1, chunk2]);
 * await writer.finish();
 */
export class HashedWriter {
  readonly #fd: number;
  readonly #options: WriterOptions;
  #inFlight: Promise<void> = Promise.resolve();
  #bytes = 0;

  constructor(fd: number, options: WriterOptions = {}) {
    this.#fd = fd;
    this.#options = options;
  }

  /** Bytes handed to write() so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Waits for the previous write, then starts writing `buffers` (resolves once it has started). */
  async write(buffers: readonly Uint8Array[]): Promise<void> {
    for (const buffer of buffers) {
      this.#options.hash?.update(buffer);
      this.#bytes += buffer.length;
    }
    await this.#inFlight;
    this.#options.signal?.throwIfAborted();
    this.#inFlight = writeAll(this.#fd, buffers);
    this.#inFlight.catch(() => undefined); // awaited by the next write or by finish()
  }

  /** Waits for the last write; rejects if it failed. */
  async finish(): Promise<void> {
    await this.#inFlight;
  }

  /** Waits for the last write, failed or not (before closing `fd` after an error). */
  async settle(): Promise<void> {
    await this.#inFlight.then(
      () => undefined,
      () => undefined,
    );
  }
}

/**
 * Writes every text of `texts`, in order, as UTF-8 at the current offset of `fd`; resolves to the bytes written.
 * Two buffers are used in turn (one being written while the other is filled), so the many megabytes of an export
 * go through the same memory.
 *
 * @example
 * const bytes = await writeTexts(csvRecords(rows), fd, { hash });
 */
export async function writeTexts(
  texts: Iterable<string>,
  fd: number,
  options: WriterOptions = {},
): Promise<number> {
  const buffers = [Buffer.allocUnsafe(CHUNK_BUFFER_BYTES), Buffer.allocUnsafe(CHUNK_BUFFER_BYTES)] as const;
  const writer = new HashedWriter(fd, options);
  let turn = 0;
  try {
    for (const chunk of chunked(texts)) {
      const buffer = buffers[turn] as Buffer;
      turn = 1 - turn;
      const fits = chunk.length * 3 <= buffer.length || Buffer.byteLength(chunk) <= buffer.length;
      await writer.write([fits ? buffer.subarray(0, buffer.write(chunk)) : Buffer.from(chunk)]);
    }
    await writer.finish();
  } finally {
    await writer.settle(); // the caller may close `fd` next: no write may still be under way
  }
  return writer.bytes;
}

/** The size of SlabEncoder's slabs: a piece of a split export fills one or two. */
const SLAB_BYTES = 1024 * 1024;

/**
 * Encodes texts as UTF-8 into slabs of SLAB_BYTES (a text too large for one gets a buffer of its own), for sending
 * to another thread with the memory transferred. Slabs sent back after use are used again, so an export's hundreds
 * of megabytes go through the same few slabs instead of piling up until a garbage collection frees them.
 *
 * @example
 * encoder.encode(text); …; port.postMessage(slabs = encoder.take(), slabs.map((s) => s.buffer));
 */
export class SlabEncoder {
  readonly #pool: ArrayBuffer[] = [];
  readonly #full: Uint8Array[] = [];
  #slab: Buffer | undefined;
  #used = 0;

  encode(text: string): void {
    if (text === '') return;
    const room = (this.#slab?.length ?? 0) - this.#used;
    const bytes = text.length * 3 <= room ? 0 : Buffer.byteLength(text); // 0: fits for sure
    if (bytes > room) {
      this.#close();
      if (bytes > SLAB_BYTES) {
        const own = Buffer.allocUnsafeSlow(bytes); // its own memory: it can be transferred
        own.write(text);
        this.#full.push(own);
        return;
      }
      this.#slab = Buffer.from(this.#pool.pop() ?? new ArrayBuffer(SLAB_BYTES));
    }
    this.#used += (this.#slab as Buffer).write(text, this.#used);
  }

  /** Everything encoded since the last take, in order: views of the used part of each slab. */
  take(): Uint8Array[] {
    this.#close();
    return this.#full.splice(0);
  }

  /** Slabs sent back: used again (the few that are not slabs are left to the garbage collector). */
  recycle(slabs: readonly Uint8Array[]): void {
    for (const slab of slabs)
      if (slab.buffer.byteLength === SLAB_BYTES) this.#pool.push(slab.buffer as ArrayBuffer);
  }

  #close(): void {
    if (this.#slab && this.#used > 0) this.#full.push(this.#slab.subarray(0, this.#used));
    else if (this.#slab) this.#pool.push(this.#slab.buffer as ArrayBuffer);
    this.#slab = undefined;
    this.#used = 0;
  }
}

async function writeAll(fd: number, buffers: readonly Uint8Array[]): Promise<void> {
  if (buffers.length === 1) {
    const buffer = buffers[0] as Uint8Array;
    for (let done = 0; done < buffer.length;) {
      done += (await writeAsync(fd, buffer, done, buffer.length - done, null)).bytesWritten;
    }
    return;
  }
  const rest = buffers.filter((buffer) => buffer.length > 0);
  while (rest.length > 0) {
    let written = (await writevAsync(fd, rest)).bytesWritten;
    // a short write (or more buffers than the system takes at once): go on after the last byte written
    while (rest.length > 0 && written >= (rest[0] as Uint8Array).length)
      written -= (rest.shift() as Uint8Array).length;
    if (rest.length > 0 && written > 0) rest[0] = (rest[0] as Uint8Array).subarray(written);
  }
}
