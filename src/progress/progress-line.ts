/**
 * One line of progress on a terminal: what is being done, done/total when the total is known, the rate and the time
 * left, redrawn in place at most every `redrawMs` and cleared when the work ends. Silent unless the stream is a TTY
 * (pipes, files, `--format json` get nothing). Time comes from an injectable clock; nothing here sets a timer.
 */

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

export interface ProgressOptions {
  /** What is counted, plural (`serials`, `rows`, `bytes`). */
  unit: string;
  /** How many there will be, when known. */
  total?: number;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** True for output that must stay clean (`--format json`): draws nothing. */
  quiet?: boolean;
  /** Milliseconds since some fixed point; default performance.now. */
  now?: () => number;
  redrawMs?: number;
}

export interface Progress {
  /** `count` more are done. */
  advance(count: number): void;
  /** A new stage of the same work, e.g. the audit's next rule; the count and rate start again. */
  stage(label: string, total?: number): void;
  /** The same stage, now named `label` with `total` (once the work knows it); the count and rate go on. */
  relabel(label: string, total?: number): void;
  /** Clears the line (the summary that follows is the command's own output). */
  end(): void;
}

const SILENT: Progress = { advance() {}, stage() {}, relabel() {}, end() {} };
const ERASE = '\r\x1b[K';

/**
 * @example
 * const progress = startProgress('deriving', { unit: 'serials', total: 1_000_000 });
 * for (const batch of batches) progress.advance(batch.length);
 * progress.end();
 */
export function startProgress(label: string, options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || stream.isTTY !== true) return SILENT;
  const now = options.now ?? (() => performance.now());
  const redrawMs = options.redrawMs ?? 250;
  let current = { label, total: options.total, done: 0, startedMs: now() };
  let drawnMs = -Infinity;
  let shown = false;

  const draw = (force: boolean): void => {
    const at = now();
    if (!force && at - drawnMs < redrawMs) return;
    drawnMs = at;
    shown = true;
    stream.write(ERASE + describeProgress(current, options.unit, at - current.startedMs));
  };
  draw(true);
  return {
    advance(count) {
      current.done += count;
      draw(false);
    },
    stage(next, total) {
      current = { label: next, total, done: 0, startedMs: now() };
      draw(true);
    },
    relabel(next, total) {
      current = { ...current, label: next, total };
      draw(true);
    },
    end() {
      if (shown) stream.write(ERASE);
      shown = false;
    },
  };
}

/**
 * What long work reports as it goes, for the progress line or anyone else: the step under way, how many of it are
 * done (counted from the step's start), and how many there will be when known. Work modules take such a callback
 * instead of a Progress, so they know nothing of terminals.
 */
export type StepProgress = (step: string, done: number, total?: number) => void;

/**
 * A StepProgress that draws on `progress`: each new step is a stage labelled `label(step)`, and its count follows
 * `done`; a total that changes within a step relabels it (the count and rate go on).
 *
 * @example
 * const progress = startProgress('verifying', { unit: 'records' });
 * verifyEvidence(file, { onProgress: followSteps(progress, (step) => `verifying ${file}: ${step}`) });
 */
export function followSteps(progress: Progress, label: (step: string) => string): StepProgress {
  let step: string | undefined;
  let total: number | undefined;
  let counted = 0;
  return (next, done, nextTotal) => {
    if (next !== step) {
      step = next;
      total = nextTotal;
      counted = 0;
      progress.stage(label(next), nextTotal);
    } else if (nextTotal !== total) {
      total = nextTotal;
      progress.relabel(label(next), nextTotal);
    }
    if (done !== counted) progress.advance(done - counted);
    counted = done;
  };
}

const number = new Intl.NumberFormat('en-GB');

/** `deriving: 412,000/1,000,000 serials (41%), 52,300/s, 11 s left` */
export function describeProgress(
  p: { label: string; total: number | undefined; done: number },
  unit: string,
  elapsedMs: number,
): string {
  const parts = [p.label];
  if (p.total !== undefined && p.total > 0) {
    parts[0] += `: ${number.format(p.done)}/${number.format(p.total)} ${unit} (${Math.floor((100 * p.done) / p.total)}%)`;
  } else if (p.done > 0) {
    parts[0] += `: ${number.format(p.done)} ${unit}`;
  }
  const seconds = elapsedMs / 1000;
  if (seconds >= 1 && p.done > 0) {
    const rate = p.done / seconds;
    parts.push(`${number.format(Math.round(rate))} ${unit}/s`);
    if (p.total !== undefined && p.total > p.done) parts.push(`${duration((p.total - p.done) / rate)} left`);
  }
  if (seconds >= 1) parts.push(`${duration(seconds)} so far`);
  return parts.join(', ');
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
