/**
 * The line view's live updates: one timer polls the source (one indexed query), and when the chain has moved it
 * renders the line once and sends it to every open page as a server-sent event. A page that falls behind (its
 * queue grows past a bound) is dropped; its browser reconnects and gets the current state. The time-based figures
 * (devices per minute) are re-sent every few seconds even when nothing was recorded.
 */
import type { ConsoleSource } from './console-source.js';
import { renderLine } from './pages/line-page.js';

export interface LiveFeedOptions {
  /** How often the store is polled; default 100 ms. */
  pollMs?: number;
  /** At most this many pages at once; default 1,000. */
  maxClients?: number;
  now?: () => Date;
}

interface Client {
  send(chunk: Uint8Array): boolean;
  end(): void;
}

const encoder = new TextEncoder();
const RESEND_MS = 5_000;

/** One SSE message: `event: line` and the markup as `data:` lines. */
function lineEvent(markup: string, id: number): Uint8Array {
  const data = markup
    .split('\n')
    .map((l) => `data: ${l}\n`)
    .join('');
  return encoder.encode(`id: ${id}\nevent: line\n${data}\n`);
}

export class LiveFeed {
  readonly #source: ConsoleSource;
  readonly #clients = new Set<Client>();
  readonly #maxClients: number;
  readonly #now: () => Date;
  readonly #timer: NodeJS.Timeout;
  #sentSeq = -1;
  #sentNotice: string | null = null;
  #sentAt = 0;
  #polling = false;
  #opening = 0;

  constructor(source: ConsoleSource, options: LiveFeedOptions = {}) {
    this.#source = source;
    this.#maxClients = options.maxClients ?? 1000;
    this.#now = options.now ?? (() => new Date());
    this.#timer = setInterval(() => void this.tick(), options.pollMs ?? 100);
    this.#timer.unref();
  }

  get clients(): number {
    return this.#clients.size;
  }

  /**
   * Polls once: refreshes the source and, when it moved (or the figures are getting old), sends the line. A poll
   * still running when the timer fires again is not overlapped.
   */
  async tick(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      await this.#source.refresh();
      if (this.#clients.size === 0) return;
      const state = await this.#source.lineState(this.#now());
      const notice = state.notice ?? null;
      if (
        state.headSeq === this.#sentSeq &&
        notice === this.#sentNotice &&
        Date.now() - this.#sentAt < RESEND_MS
      )
        return;
      const event = lineEvent(renderLine(state).text, state.headSeq);
      this.#sentSeq = state.headSeq;
      this.#sentNotice = notice;
      this.#sentAt = Date.now();
      for (const client of this.#clients) if (!client.send(event)) this.#drop(client);
    } catch {
      // The store could not be read this time (a station holding a long write, the file being replaced): the next
      // poll tries again, and the pages keep what they show.
    } finally {
      this.#polling = false;
    }
  }

  /** An SSE response body for one page, starting with the current line; undefined when full. */
  open(): ReadableStream<Uint8Array> | undefined {
    if (this.#clients.size + this.#opening >= this.#maxClients) return undefined;
    this.#opening++;
    let client: Client | undefined;
    return new ReadableStream<Uint8Array>(
      {
        start: async (controller) => {
          client = {
            send: (chunk) => {
              if ((controller.desiredSize ?? -1) < 0) return false;
              controller.enqueue(chunk);
              return true;
            },
            end: () => controller.close(),
          };
          try {
            await this.#source.refresh();
            const state = await this.#source.lineState(this.#now());
            controller.enqueue(encoder.encode('retry: 1000\n\n'));
            controller.enqueue(lineEvent(renderLine(state).text, state.headSeq));
            this.#clients.add(client);
          } finally {
            this.#opening--;
          }
        },
        cancel: () => {
          if (client) this.#clients.delete(client);
        },
      },
      { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
    );
  }

  close(): void {
    clearInterval(this.#timer);
    for (const client of [...this.#clients]) this.#drop(client);
  }

  #drop(client: Client): void {
    this.#clients.delete(client);
    try {
      client.end();
    } catch {
      // already closed by the browser
    }
  }
}
