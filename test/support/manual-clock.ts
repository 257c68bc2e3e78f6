/**
 * A transport clock that moves only when the test says: a time limit runs out exactly when the test advances the
 * clock past it, never because the machine was slow or fast. `waiting()` resolves once something sleeps on it.
 */
import type { TransportClock } from '../../src/transport/line-transport.js';

export interface ManualClock extends TransportClock {
  /** Resolves once at least one timer is pending (the transport is waiting for data). */
  waiting(): Promise<void>;
  /** Moves time on by `ms` and wakes every timer due by then. */
  advance(ms: number): void;
}

export function manualClock(): ManualClock {
  let now = 0;
  const timers = new Set<{ at: number; wake: () => void }>();
  const waiters: (() => void)[] = [];
  return {
    now: () => now,
    after(ms, wake) {
      const timer = { at: now + ms, wake };
      timers.add(timer);
      for (const waiter of waiters.splice(0)) waiter();
      return () => timers.delete(timer);
    },
    waiting() {
      if (timers.size > 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    advance(ms) {
      now += ms;
      for (const timer of [...timers]) {
        if (timer.at > now) continue;
        timers.delete(timer);
        timer.wake();
      }
    },
  };
}
