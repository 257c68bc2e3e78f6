/** Waiting for a run to end: Ctrl-C and SIGTERM stop it (once) or abort it (twice). */
import type { StationRun } from './run-station.js';
import type { StationSummary } from './station-types.js';

/**
 * Waits for the run, stopping it on Ctrl-C/SIGTERM (once: after the devices in hand; twice: aborting them) or when
 * `stop` aborts. A run that had to stop (label output, evidence store) still yields its tally, with the error.
 */
export async function finishRun(
  run: StationRun,
  stop: AbortSignal | undefined,
  notice: (text: string) => void,
): Promise<{ summary: StationSummary; stopped?: unknown }> {
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      notice('stopping after the devices in hand (Ctrl-C again to abort them)');
      run.stop();
    } else {
      notice('aborting the devices in hand');
      run.abort();
    }
  };
  const onStop = (): void => run.stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  stop?.addEventListener('abort', onStop, { once: true });
  try {
    return { summary: await run.done };
  } catch (error) {
    return { summary: run.summary(), stopped: error };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stop?.removeEventListener('abort', onStop);
  }
}
