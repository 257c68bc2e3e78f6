/**
 * Pushing a station's file to the central store while the line runs (`provision --central`): the line asks for a
 * push after each verdict and never waits for it. One push runs at a time; asks that arrive meanwhile make one more
 * push after it. A store that cannot be reached is retried on the next ask, so the backlog drains once it is back;
 * a refusal (a finding) or a rejected login stops the pushes, and the state says why. Pushes go in small
 * transactions so that reading the file never holds the event loop for long.
 */
import { CredlineError, ExitCode } from '../errors/credline-error.js';
import { EvidenceQueries, openDatabase } from '../evidence/index.js';
import type { CentralTarget } from './connect.js';
import { syncStation, type Finding } from './sync.js';

export interface BackgroundSyncState {
  /** The file's head seq when last looked at. */
  localHead: number;
  /** The station's head seq stored centrally, once known. */
  centralHead: number | null;
  /** Records in the file not yet stored centrally (the file's head when the store was never reached). */
  backlog: number;
  /** False while the store cannot be reached; null before the first push ended. */
  reachable: boolean | null;
  /** Why pushes stopped (a refusal, a rejected login); they do not resume in this run. */
  stopped: string | null;
  findings: Finding[];
  /** The last unreachable error's message. */
  lastError: string | null;
}

export interface BackgroundSync {
  /** Asks for a push; returns at once. */
  kick(): void;
  state(): BackgroundSyncState;
  /** Waits for the push in flight, makes a last one (unless stopped), and returns the final state. */
  finish(): Promise<BackgroundSyncState>;
}

const CHUNK_ROWS = 2_000;

export function startBackgroundSync(options: {
  file: string;
  target: CentralTarget;
  stationId: string;
  /** Called whenever the state changed. */
  onChange?: (state: BackgroundSyncState) => void;
}): BackgroundSync {
  const state: BackgroundSyncState = {
    localHead: 0,
    centralHead: null,
    backlog: 0,
    reachable: null,
    stopped: null,
    findings: [],
    lastError: null,
  };
  let running: Promise<void> | null = null;
  let again = false;

  const changed = (): void => {
    state.backlog = Math.max(0, state.localHead - (state.centralHead ?? 0));
    options.onChange?.({ ...state });
  };

  const pushOnce = async (): Promise<void> => {
    try {
      const report = await syncStation({
        file: options.file,
        target: options.target,
        stationId: options.stationId,
        chunkRows: CHUNK_ROWS,
        onProgress: (p) => {
          state.centralHead = p.centralHead;
          state.localHead = p.localHead;
          changed();
        },
      });
      state.reachable = true;
      state.lastError = null;
      state.localHead = report.localHead.seq;
      state.centralHead = report.centralHead;
      if (report.findings.length > 0) {
        state.findings = report.findings;
        state.stopped = `the central store refused the file: ${report.findings[0]?.detail ?? 'a finding'}`;
      }
    } catch (error) {
      state.localHead = Math.max(state.localHead, localHeadOf(options.file));
      if (error instanceof CredlineError && error.exitCode === ExitCode.transport) {
        state.reachable = false;
        state.lastError = error.message;
      } else {
        state.stopped = error instanceof Error ? error.message : String(error);
      }
    }
    changed();
  };

  const loop = async (): Promise<void> => {
    do {
      again = false;
      await pushOnce();
    } while (again && state.stopped === null);
    running = null;
  };

  return {
    kick() {
      if (state.stopped !== null) return;
      if (running) {
        again = true;
        return;
      }
      running = loop();
    },
    state: () => ({ ...state }),
    async finish() {
      if (running) await running;
      if (state.stopped === null) await pushOnce();
      return { ...state };
    },
  };
}

/** The file's head seq (0 when it cannot be read yet). */
function localHeadOf(file: string): number {
  try {
    const db = openDatabase(file, { readonly: true });
    try {
      return new EvidenceQueries(db).head().seq;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}
