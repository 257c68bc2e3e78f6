/**
 * The chunks of one sync run on up to two connections taking turns, so that the server reads, parses and indexes
 * chunk k + 1 on one backend while it checks and commits chunk k on the other (ingest is CPU-bound on the server;
 * one backend uses one core). Order stays the work's to keep: each chunk gets a turn whose `after` settles when the
 * chunk before it has passed (`pass()`, or its work has ended), or rejects when that chunk failed; a push holds its
 * COPY's end until `after`, which it lets pass only once committed and reported, so the server checks and commits
 * the chunks in seq order and the caller hears of them in that order. A chunk starts on its connection once the
 * chunk before it there has finished; after a failure no further chunk starts, and the first failure in chunk order
 * is what is thrown.
 */

export interface Turn {
  /** Settles when the previous chunk has passed its ordered step; rejects when it failed. */
  after: Promise<void>;
  /** This chunk has passed its ordered step (called at the latest when its work ends). */
  pass: () => void;
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
    const run = (busy[lane] as Promise<void>).then(() => {
      if (failed) throw new Abandoned();
      return work(clients[lane] as C, index, { after, pass });
    });
    run.then(pass, (error: unknown) => {
      failed = true;
      fail(error);
    });
    busy[lane] = run;
    runs.push(run);
    previous = passed;
  }
  const results = await Promise.allSettled(runs);
  const first = results.find(
    (r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof Abandoned),
  );
  if (first) throw first.reason;
}
