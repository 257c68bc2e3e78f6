/**
 * A line-oriented transport over a serial port (or anything that behaves like one). The contract:
 * - `readEvent(timeoutMs, prompt?)` returns the next complete line, or `{ prompt: true }` once no line is queued
 *   and the unterminated rest matches `prompt`; it throws a TransportError of kind `timeout` when nothing came in
 *   time, `disconnected` once the port has closed (queued lines are still delivered first), `aborted` on the signal.
 * - `flushInput()` drops everything received so far (stale lines, a half line, an old prompt).
 * - `writeLine(text)` appends the profile's line ending and resolves once the bytes are handed to the OS.
 */
import { LineFramer } from './line-framer.js';
import { TransportError } from './transport-error.js';

/** The narrow seam to the hardware: a duplex byte stream that says when it closed. */
export interface BytePort {
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (chunk: Uint8Array) => void): void;
  onClose(listener: (error?: Error) => void): void;
  close(): Promise<void>;
}

export type LineEvent = { line: string; prompt?: undefined } | { prompt: true; line?: undefined };

/** Where a transport's time limits come from: the system clock, or a test's clock that moves when it is told. */
export interface TransportClock {
  now(): number;
  /** Calls `wake` once `ms` have passed; the returned function cancels it. */
  after(ms: number, wake: () => void): () => void;
}

export const SYSTEM_CLOCK: TransportClock = {
  now: () => Date.now(),
  after(ms, wake) {
    const timer = setTimeout(wake, ms);
    return () => clearTimeout(timer);
  },
};

export const LINE_ENDINGS = { lf: '\n', crlf: '\r\n', cr: '\r' } as const;

export class LineTransport {
  private readonly framer = new LineFramer();
  private readonly queue: string[] = [];
  private wake: (() => void) | undefined;
  private closedError: Error | undefined;
  private isClosed = false;
  private waited = 0;

  constructor(
    readonly path: string,
    private readonly port: BytePort,
    private readonly lineEnding: string = '\n',
    /** Measures every time limit of this transport and of the dialogue steps run over it. */
    readonly clock: TransportClock = SYSTEM_CLOCK,
  ) {
    port.onData((chunk) => {
      for (const line of this.framer.push(chunk)) this.queue.push(line);
      this.wake?.();
    });
    port.onClose((error) => {
      this.isClosed = true;
      this.closedError = error;
      this.wake?.();
    });
  }

  /** Total milliseconds spent waiting for the other end so far (for station overhead figures). */
  get waitedMs(): number {
    return this.waited;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Drops every byte received so far. */
  flushInput(): void {
    this.queue.length = 0;
    this.framer.clear();
  }

  async writeLine(text: string): Promise<void> {
    await this.writeRaw(text + this.lineEnding);
  }

  async writeRaw(text: string): Promise<void> {
    if (this.isClosed)
      throw new TransportError('disconnected', `${this.path}: port is closed`, this.closedError);
    try {
      await this.port.write(Buffer.from(text, 'latin1'));
    } catch (error) {
      throw new TransportError('disconnected', `${this.path}: write failed`, error);
    }
  }

  /** The next line, or a prompt (see the module comment). */
  async readEvent(timeoutMs: number, prompt?: RegExp, signal?: AbortSignal): Promise<LineEvent> {
    const deadline = this.clock.now() + timeoutMs;
    for (;;) {
      const line = this.queue.shift();
      if (line !== undefined) return { line };
      if (prompt && this.framer.pending.length > 0 && prompt.test(this.framer.pending)) {
        this.framer.clear();
        return { prompt: true };
      }
      if (this.isClosed)
        throw new TransportError('disconnected', `${this.path}: port closed`, this.closedError);
      if (signal?.aborted) throw new TransportError('aborted', `${this.path}: stopped`);
      const left = deadline - this.clock.now();
      if (left <= 0) throw new TransportError('timeout', `${this.path}: no reply within ${timeoutMs} ms`);
      await this.sleepUntilData(left, signal);
    }
  }

  /** The next complete line (prompts are not reported). */
  async readLine(timeoutMs: number, signal?: AbortSignal): Promise<string> {
    const event = await this.readEvent(timeoutMs, undefined, signal);
    return event.line ?? '';
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    await this.port.close();
    this.isClosed = true;
    this.wake?.();
  }

  private sleepUntilData(ms: number, signal?: AbortSignal): Promise<void> {
    const started = performance.now();
    return new Promise((resolve) => {
      let cancel = (): void => undefined;
      const done = (): void => {
        this.waited += performance.now() - started;
        cancel();
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      cancel = this.clock.after(ms, done);
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }
}
