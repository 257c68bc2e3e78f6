/**
 * The verify status of every station's chain in the central store, for the console: the store's own verification
 * (every row's hash and link recomputed in the server, every checkpoint's signature), one at a time on its own
 * connection, started again when the store has grown since the last one finished.
 */
import type { CentralReader, CentralTarget } from '../central/index.js';
import type { ChainStatus } from './console-source.js';

type Open = (target: CentralTarget) => Promise<CentralReader>;

interface Finished {
  mark: number;
  ok: boolean;
  problems: string[];
  stations: NonNullable<ChainStatus['stations']>;
}

const SHOWN_PROBLEMS = 20;

export class CentralVerifyMonitor {
  readonly #open: Open;
  readonly #target: CentralTarget;
  #last: Finished | undefined;
  #running: Promise<void> | undefined;
  #error: string | undefined;

  constructor(open: Open, target: CentralTarget) {
    this.#open = open;
    this.#target = target;
  }

  /** The last finished status; starts a verification when none runs and `mark` (the store's size) moved past it. */
  status(mark: number): ChainStatus {
    if (!this.#running && (this.#last === undefined || this.#last.mark < mark)) this.#start(mark);
    const last = this.#last;
    return {
      ok: last?.ok ?? (this.#error ? false : null),
      checkedSeq: last?.mark ?? 0,
      problems: last?.problems ?? (this.#error ? [this.#error] : []),
      running: this.#running !== undefined,
      stations: last?.stations ?? [],
    };
  }

  /** Waits for a running verification to end (tests, shutdown). */
  async settle(): Promise<void> {
    await this.#running;
  }

  #start(mark: number): void {
    const run = async (): Promise<void> => {
      const reader = await this.#open(this.#target);
      try {
        const report = await reader.verify();
        const problems = report.problems.map(
          (p) => `${p.stationId}${p.seq === null ? '' : ` record ${p.seq}`}: ${p.problem}`,
        );
        this.#last = {
          mark,
          ok: report.problems.length === 0,
          problems: problems.slice(0, SHOWN_PROBLEMS),
          stations: report.stations.map((s) => {
            const own = report.problems.filter((p) => p.stationId === s.stationId);
            return {
              stationId: s.stationId,
              ok: own.length === 0,
              checkedSeq: s.headSeq,
              problems: own.map((p) => `${p.seq === null ? '' : `record ${p.seq}: `}${p.problem}`),
            };
          }),
        };
        this.#error = undefined;
      } finally {
        await reader.close();
      }
    };
    this.#running = run()
      .catch((error: unknown) => {
        this.#error = `verification could not run: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => (this.#running = undefined));
  }
}
