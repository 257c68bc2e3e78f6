/**
 * Runs one dialogue step over a line transport: flush stale input, send, then read lines until `expect` matches
 * (named captures kept), `fail` matches (the device refused), or time runs out; retried as the profile says.
 * Echoed send lines are dropped; on a console with a prompt the step ends only when the prompt is back.
 */
import type { DialogueStep } from '../profiles/index.js';
import { type LineTransport, isGarbage, TransportError } from '../transport/index.js';
import { printable, redactSecrets } from './redact.js';
import { renderTemplate } from './template.js';

export interface TraceEntry {
  port: string;
  direction: '>' | '<';
  /** Already redacted. */
  text: string;
}

export interface DialogueContext {
  transport: LineTransport;
  echo: boolean;
  prompt?: RegExp;
  /** Placeholder values for `send` templates. */
  values: Record<string, string>;
  /** Values that must never appear in a trace (password, verifier). */
  secrets: string[];
  trace?: (entry: TraceEntry) => void;
  signal?: AbortSignal;
  /**
   * Asked before a step is retried after silence or noise: a failure (e.g. another unit now answers in the
   * fixture) ends the step with it instead of sending the command again to whoever is listening. The unit gets
   * the retried step's time to answer (it may still be busy with the command that timed out).
   */
  confirmUnit?: (timeoutMs: number) => Promise<StepResult>;
}

export type StepResult =
  { ok: true; captures: Record<string, string> } | { ok: false; reason: string; detail: string };

/** Stable reason codes for steps that end badly without a profile-chosen `failReason`. */
export const DEFAULT_FAIL_REASON: Readonly<Record<string, string>> = {
  identify: 'identify-refused',
  write: 'nak',
  verify: 'nak',
  commit: 'commit-failed',
  loginCheck: 'login-refused',
  lock: 'lock-failed',
  report: 'report-failed',
};

/**
 * @example
 * const r = await runStep(ctx, { send: 'ID', expect: '^OK ID serial=(?<serial>\\S+)', timeoutMs: 500, retries: 1 }, 'identify');
 * if (r.ok) r.captures.serial;
 */
export async function runStep(ctx: DialogueContext, step: DialogueStep, phase: string): Promise<StepResult> {
  const expect = step.expect === undefined ? undefined : new RegExp(step.expect);
  const fail = step.fail === undefined ? undefined : new RegExp(step.fail);
  const line = renderTemplate(step.send, ctx.values);
  let last: StepResult = { ok: false, reason: 'timeout', detail: 'no attempt made' };
  let garbled: StepResult | undefined;
  for (let attempt = 0; attempt <= step.retries; attempt++) {
    if (attempt > 0 && ctx.confirmUnit) {
      const same = await ctx.confirmUnit(step.timeoutMs);
      // A unit that went silent stalled at this step, not at the identify that checked it: say this step first.
      if (!same.ok)
        return same.reason === 'timeout' ? { ...same, detail: `${last.detail}; ${same.detail}` } : same;
    }
    last = await attemptStep(ctx, line, expect, fail, step, phase);
    if (last.ok || (last.reason !== 'timeout' && last.reason !== 'garbage')) return last;
    if (last.reason === 'garbage') garbled = last;
  }
  // Noise on any attempt says more than the silence that may follow it.
  return garbled ?? last;
}

async function attemptStep(
  ctx: DialogueContext,
  line: string,
  expect: RegExp | undefined,
  fail: RegExp | undefined,
  step: DialogueStep,
  phase: string,
): Promise<StepResult> {
  const { transport } = ctx;
  // A step may end at its own unterminated line (a login's `Password: `) instead of the console's prompt.
  const prompt = step.prompt === undefined ? ctx.prompt : new RegExp(step.prompt);
  transport.flushInput();
  ctx.trace?.({ port: transport.path, direction: '>', text: redactSecrets(line, ctx.secrets) });
  try {
    await transport.writeLine(line);
  } catch (error) {
    return transportFailure(error);
  }
  const deadline = transport.clock.now() + step.timeoutMs;
  let echoPending = ctx.echo;
  let garbage: string | undefined;
  let captures: Record<string, string> | undefined;
  for (;;) {
    const left = deadline - transport.clock.now();
    let event;
    try {
      if (left <= 0)
        throw new TransportError('timeout', `${transport.path}: no reply within ${step.timeoutMs} ms`);
      event = await transport.readEvent(left, prompt, ctx.signal);
    } catch (error) {
      if (error instanceof TransportError && error.kind === 'timeout') {
        if (garbage !== undefined)
          return { ok: false, reason: 'garbage', detail: `unreadable reply ${garbage}` };
        const waited = captures ? 'prompt' : expect ? `reply to ${quoteSent(line, ctx)}` : 'prompt';
        return { ok: false, reason: 'timeout', detail: `no ${waited} within ${step.timeoutMs} ms` };
      }
      return transportFailure(error);
    }
    if (event.prompt) {
      if (captures) return { ok: true, captures };
      if (!expect) return { ok: true, captures: {} };
      continue; // a prompt before the expected reply: keep waiting
    }
    const text = event.line;
    ctx.trace?.({
      port: transport.path,
      direction: '<',
      text: printable(redactSecrets(text, ctx.secrets), 400),
    });
    if (echoPending && text.endsWith(line)) {
      echoPending = false;
      continue;
    }
    if (fail?.test(text)) {
      return {
        ok: false,
        reason: step.failReason ?? DEFAULT_FAIL_REASON[phase] ?? 'nak',
        detail: `device said: ${printable(redactSecrets(text, ctx.secrets), 100)}`,
      };
    }
    const match = captures ? null : expect?.exec(text);
    if (match) {
      captures = Object.fromEntries(
        Object.entries(match.groups ?? {}).filter(([, v]) => v !== undefined),
      ) as Record<string, string>;
      if (!prompt) return { ok: true, captures };
    } else if (isGarbage(text)) {
      // A captured value with control bytes is judged by the caller (a serial is refused); other noise is noted.
      garbage ??= printable(redactSecrets(text, ctx.secrets), 60);
    }
  }
}

function quoteSent(line: string, ctx: DialogueContext): string {
  return JSON.stringify(printable(redactSecrets(line, ctx.secrets), 40));
}

function transportFailure(error: unknown): StepResult {
  if (error instanceof TransportError) {
    return {
      ok: false,
      reason: error.kind === 'aborted' ? 'aborted' : 'disconnected',
      detail: error.message,
    };
  }
  throw error;
}
