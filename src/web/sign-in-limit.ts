/**
 * A bound on wrong tokens per client address: after `maxFailures` wrong tokens (sign-in form or bearer header)
 * within `windowMs` of the first, that address is refused (429) without its token being looked at until the window
 * ends. The token is long and compared in constant time; this keeps guessing slow as well as hopeless, and keeps a
 * flood of wrong tokens from costing the station anything. The clock is injected (tests move it by hand).
 *
 * @example
 * const limit = new SignInLimit({ now: () => new Date() });
 * if (limit.retryAfterMs(address) > 0) refuse(); else if (!tokenOk) limit.failed(address);
 */
export interface SignInLimitOptions {
  /** Wrong tokens allowed per address within the window (default 5). */
  maxFailures?: number;
  /** How long the window lasts, from an address's first wrong token (default one minute). */
  windowMs?: number;
  now: () => Date;
  /** Addresses remembered at once (default 10,000): beyond it, the one whose window started first is forgotten. */
  maxAddresses?: number;
}

export class SignInLimit {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #maxAddresses: number;
  readonly #now: () => Date;
  /** Per address, in the order their windows started: when the window started and the wrong tokens in it. */
  readonly #windows = new Map<string, { startMs: number; failures: number }>();

  constructor(options: SignInLimitOptions) {
    this.#maxFailures = options.maxFailures ?? 5;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxAddresses = options.maxAddresses ?? 10_000;
    this.#now = options.now;
  }

  /** How long `address` must wait before its next token is looked at (0: now). */
  retryAfterMs(address: string): number {
    const window = this.#current(address);
    if (window === undefined || window.failures < this.#maxFailures) return 0;
    return window.startMs + this.#windowMs - this.#now().getTime();
  }

  /** Counts a wrong token from `address`. */
  failed(address: string): void {
    const window = this.#current(address);
    if (window !== undefined) {
      window.failures++;
      return;
    }
    if (this.#windows.size >= this.#maxAddresses) {
      const oldest = this.#windows.keys().next().value;
      if (oldest !== undefined) this.#windows.delete(oldest);
    }
    this.#windows.set(address, { startMs: this.#now().getTime(), failures: 1 });
  }

  /** The address's window, unless it has ended (then it is forgotten). */
  #current(address: string): { startMs: number; failures: number } | undefined {
    const window = this.#windows.get(address);
    if (window !== undefined && this.#now().getTime() >= window.startMs + this.#windowMs) {
      this.#windows.delete(address);
      return undefined;
    }
    return window;
  }
}
