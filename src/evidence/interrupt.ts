/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP during an export or a backup: the work is aborted and removes what it wrote
 * (the output and any part file) instead of leaving half a file behind. When nothing else in the process listens
 * for the signal, it is raised again once the files are gone, so the process ends as it would have without this
 * module (killed by the signal); otherwise the work rejects with EVIDENCE_EXPORT_INTERRUPTED (or
 * EVIDENCE_BACKUP_INTERRUPTED) and the other listener decides.
 */
import { isMainThread } from 'node:worker_threads';
import { CredlineError, ExitCode } from '../errors/credline-error.js';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The work that is interrupted, and the code of the error it then rejects with. */
const INTERRUPTED_CODES = {
  export: 'EVIDENCE_EXPORT_INTERRUPTED',
  backup: 'EVIDENCE_BACKUP_INTERRUPTED',
} as const;
export type InterruptedWork = keyof typeof INTERRUPTED_CODES;

/**
 * Runs `work` with a signal that aborts on SIGINT, SIGTERM or SIGHUP (on the main thread; a worker thread
 * receives no signals). `onSignal` hears of the first signal as it is taken, before anything is removed.
 *
 * @example
 * await abortOnInterrupt((signal) => writeExport(out, signal)); // writeExport removes `out` when aborted
 */
export async function abortOnInterrupt<T>(
  work: (signal: AbortSignal) => Promise<T>,
  onSignal?: (signal: NodeJS.Signals) => void,
  what: InterruptedWork = 'export',
): Promise<T> {
  const controller = new AbortController();
  if (!isMainThread) return work(controller.signal);
  let received: NodeJS.Signals | undefined;
  const taken = (signal: NodeJS.Signals): void => {
    if (received === undefined) onSignal?.(signal);
    received ??= signal;
    controller.abort(
      new CredlineError(
        INTERRUPTED_CODES[what],
        `the ${what} was interrupted (${signal}); nothing was kept`,
        { exitCode: ExitCode.failed },
      ),
    );
  };
  for (const signal of SIGNALS) process.on(signal, taken);
  try {
    return await work(controller.signal);
  } finally {
    for (const signal of SIGNALS) process.off(signal, taken);
    if (received !== undefined && process.listenerCount(received) === 0) process.kill(process.pid, received);
  }
}
