/**
 * How long a test, hook or child process may run before it is taken to hang. A hang detector only, never a margin a
 * test relies on: no test waits for time to pass; each waits for an event (a line, an exit, a clock a test moves).
 */
export const HANG_MS = 15 * 60_000;
