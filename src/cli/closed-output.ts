/**
 * What the CLI does when the reader of its output goes away (`credline evidence list | head -1`): it ends quietly
 * with exit 0, as `git log | head` does, instead of Node's "Unhandled 'error' event … write EPIPE" stack trace.
 */
import { ExitCode } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';

let installed = false;
/** Set by a long-running command that must wind down in order instead (the station finishes its units in hand). */
let instead: (() => void) | undefined;

/**
 * Ends the process with exit 0 when stdout's reader has gone (EPIPE), and ignores a closed stderr. Any other
 * stdout error (a full disk behind `> file`) is reported in one line, exit 2. Safe to call more than once.
 *
 * @example endQuietlyWhenOutputCloses(); // first thing in main()
 */
export function endQuietlyWhenOutputCloses(): void {
  if (installed) return;
  installed = true;
  let windingDown = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (windingDown) return; // later writes to the closed stdout fail too: nothing more to say
    if (error.code === 'EPIPE') {
      if (!instead) process.exit(ExitCode.ok);
      windingDown = true;
      instead();
      instead = undefined;
      return;
    }
    process.stderr.write(`credline: cannot write to standard output: ${fsErrorText(error)}\n`);
    process.exit(ExitCode.usage);
  });
  process.stderr.on('error', () => {
    // nobody reads the diagnostics any more: there is nowhere left to report anything
  });
}

/** True once stdout can take no more output (its reader went away): a long listing stops early. */
export function outputClosed(): boolean {
  return process.stdout.destroyed;
}

/**
 * While set, a closed stdout calls `windDown` (once) instead of ending the process: `credline provision` then
 * stops after the units in hand, recording each, rather than leaving them as open intents. Returns the undo.
 *
 * @example const undo = windDownWhenOutputCloses(() => run.stop()); … undo();
 */
export function windDownWhenOutputCloses(windDown: () => void): () => void {
  instead = windDown;
  return () => {
    if (instead === windDown) instead = undefined;
  };
}
