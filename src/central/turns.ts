/**
 * The chunks of one sync run on up to two connections taking turns, so that the server reads, parses and indexes
 * chunk k + 1 on one backend while it checks and commits chunk k on the other (ingest is CPU-bound on the server;
 * one backend uses one core). Order stays the work's to keep: each chunk gets a turn whose `after` settles when the
 * chunk before it has passed its ordered step (`pass()`), or rejects when that chunk failed; a push holds its
 * COPY's end until `after`, so the server checks and commits the chunks in seq order; `inOrder` runs a step (a
 * progress report after a commit) in chunk order whichever connection answers first. A chunk starts on its
 * connection once the chunk before it there has finished; after a failure no further chunk starts, and the first
 * failure in chunk order is what is thrown.
 */

export interface Turn {
  /** Settles when the previous chunk has passed its ordered step; rejects when it failed. */
  after: Promise<void>;
  /** This chunk has passed its ordered step (called at the latest when its work ends). */
  pass: () => void;
  /** Runs `step` once the chunk before has run its own (or ended without): reports after commits, in chunk order. */
  inOrder: (step: () => void | Promise<void>) => Promise<void>;
}

/** Thrown to a chunk that was not started because an earlier one failed. */
class Abandoned extends Error {}

/**
 * @example
 * await inTurns([client, second], chunks.length, async (client, i, turn) => {
 *   await copyRows(client, rowsOf(chunks[i]), turn.after);
 *   turn.pass();
 *   await client.query('COMMIT');
 * });
 */
export async function inTurns<C>(
  clients: readonly C[],
  count: number,
  work: (client: C, index: number, turn: Turn) => Promise<void>,
): Promise<void> {
  let previous: Promise<void> = Promise.resolve();
  let previousStep: Promise<void> = Promise.resolve();
  let failed = false;
  const busy: Promise<void>[] = clients.map(() => Promise.resolve());
  const runs: Promise<void>[] = [];
  for (let index = 0; index < count; index++) {
    const lane = index % clients.length;
    let pass = (): void => undefined;
    let fail = (_: unknown): void => undefined;
    const passed = new Promise<void>((resolve, reject) => {
      pass = resolve;
      fail = reject;
    });
    passed.catch(() => undefined); // a chunk that never starts never awaits it
    const after = previous;
    const stepBefore = previousStep;
    let stepDone = (): void => undefined;
    const stepped = new Promise<void>((resolve) => (stepDone = resolve));
    const inOrder = async (step: () => void | Promise<void>): Promise<void> => {
      await stepBefore;
      try {
        await step();
      } finally {
        stepDone();
      }
    };
    const run = (busy[lane] as Promise<void>).then(() => {
      if (failed) throw new Abandoned();
      return work(clients[lane] as C, index, { after, pass, inOrder });
    });
    run.then(pass, (error: unknown) => {
      failed = true;
      fail(error);
    });
    void run.finally(() => stepBefore.then(stepDone)).catch(() => undefined);
    busy[lane] = run;
    runs.push(run);
    previous = passed;
    previousStep = stepped;
  }
  const results = await Promise.allSettled(runs);
  const first = results.find(
    (r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof Abandoned),
  );
  if (first) throw first.reason;
}
