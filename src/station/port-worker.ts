/**
 * One port's state machine: open → wait for a unit (poll the identify step until a unit with a new nonce, or a new
 * serial when the profile has no nonce, answers) → provision → report → wait for the next. A port that vanishes is
 * reported and re-opened when it returns; a failure on one port never blocks another.
 */
import type { PasswordDeriver } from '../derive/index.js';
import type { EvidenceWriter } from '../evidence/index.js';
import { runIdentify, sendReport, UNIT_CHANGED, printable, type DialogueContext } from '../protocol/index.js';
import { type LineTransport, openSerialTransport } from '../transport/index.js';
import { provisionUnit } from './provision-unit.js';
import { adviceFor } from '../reasons/index.js';
import type { DeviceEvent, StationConfig, StationEvent } from './station-types.js';
import { setTimeout as delay } from 'node:timers/promises';

export interface PortWorkerShared {
  /** Reports an event (the station counts it and passes it on). */
  report: (event: StationEvent) => void;
  derive: PasswordDeriver;
  fingerprint: (password: string) => string;
  /** Commits the evidence: one writer for every port (a writer thread with group commit when there are several). */
  evidence: EvidenceWriter;
  /** Serials in hand on some port, by port. */
  inHand: Map<string, string>;
  /** Claims one device of --count; false when the count is reached (the worker then stops). */
  claim: () => boolean;
  /** Set when the operator asked to stop: finish the unit in hand, start no new one. */
  stopping: AbortSignal;
  /** Set on a second Ctrl-C: abort the unit in hand (recorded as ABORTED). */
  aborting: AbortSignal;
}

type Arrival =
  | { captures: Record<string, string>; token: string }
  | { failed: { reason: string; detail: string }; token: string };

export async function runPortWorker(
  config: StationConfig,
  shared: PortWorkerShared,
  port: string,
): Promise<void> {
  const { profile } = config.profile;
  const open = config.openTransport ?? openSerialTransport;
  const reopenMs = config.reopenMs ?? 1000;
  /** The tokens of the last unit (as it arrived, and with the serial it was assigned): it is not provisioned twice. */
  let lastTokens: ReadonlySet<string> = new Set();
  let wasLost = false;
  while (!shared.stopping.aborted) {
    let transport: LineTransport;
    try {
      transport = await open(port, profile.serialPort);
    } catch (error) {
      if (!wasLost) {
        const detail = `${(error as Error).message}; trying again every ${reopenMs} ms until it appears`;
        shared.report({ type: 'port', port, state: 'unavailable', detail });
      }
      wasLost = true;
      await sleep(reopenMs, shared.stopping);
      continue;
    }
    shared.report({ type: 'port', port, state: wasLost ? 'back' : 'open' });
    wasLost = false;
    const ctx: DialogueContext = {
      transport,
      echo: profile.dialogue.echo,
      ...(profile.dialogue.prompt === undefined ? {} : { prompt: new RegExp(profile.dialogue.prompt) }),
      values: {},
      secrets: [],
      ...(config.trace ? { trace: config.trace } : {}),
      signal: shared.aborting,
    };
    try {
      while (!shared.stopping.aborted && !transport.closed) {
        const arrival = await waitForUnit(ctx, config, shared, lastTokens);
        if (!arrival) break;
        lastTokens = new Set([arrival.token]);
        if (!shared.claim()) return;
        const started = performance.now();
        const waitedBefore = transport.waitedMs;
        const { stopLine, ...verdict } =
          'failed' in arrival
            ? { result: 'FAIL' as const, serial: null, ...arrival.failed }
            : await provisionUnit(
                {
                  config,
                  derive: shared.derive,
                  fingerprint: shared.fingerprint,
                  evidence: shared.evidence,
                  inHand: shared.inHand,
                  dialogue: ctx,
                  port,
                },
                arrival.captures,
              );
        const event: DeviceEvent = {
          type: 'device',
          port,
          ...verdict,
          ...('failed' in arrival ? {} : identityOf(arrival.captures)),
          ...(verdict.result === 'PASS' ? {} : { advice: adviceFor(verdict.reason ?? 'failed') }),
          elapsedMs: performance.now() - started,
          deviceWaitMs: transport.waitedMs - waitedBefore,
        };
        shared.report(event);
        if (event.assigned && 'captures' in arrival)
          lastTokens = new Set([arrival.token, unitToken(event.serial ?? '', arrival.captures['nonce'])]);
        if (stopLine) throw stopLine;
        // The unit in the fixture is not the one this verdict is about: tell it nothing, provision it next.
        if (event.reason === UNIT_CHANGED) continue;
        const values = {
          serial: event.serial ?? '',
          nonce: 'failed' in arrival ? '' : (arrival.captures['nonce'] ?? ''),
        };
        await sendReport(
          { ...ctx, values },
          profile,
          event.result === 'PASS' ? 'PASS' : 'FAIL',
          event.reason ?? 'ok',
        );
      }
    } finally {
      await transport.close().catch(() => undefined);
    }
    if (transport.closed && !shared.stopping.aborted) {
      shared.report({
        type: 'port',
        port,
        state: 'lost',
        detail: 'the port closed (unplugged?); re-opening when it returns',
      });
      wasLost = true;
      await sleep(reopenMs, shared.stopping);
    }
  }
}

/** Polls the identify phase until a new unit answers; null when stopping or the port closed. */
async function waitForUnit(
  ctx: DialogueContext,
  config: StationConfig,
  shared: PortWorkerShared,
  lastTokens: ReadonlySet<string>,
): Promise<Arrival | null> {
  const { profile } = config.profile;
  while (!shared.stopping.aborted) {
    const r = await runIdentify(ctx, profile);
    if (r.ok) {
      const token = unitToken(r.captures['serial'] ?? '', r.captures['nonce']);
      if (!lastTokens.has(token)) return { captures: r.captures, token };
    } else if (r.reason === 'disconnected' || r.reason === 'aborted') {
      return null;
    } else if (r.reason !== 'timeout' && r.reason !== 'garbage') {
      // The unit answered but refused to identify (e.g. U-Boot without serial#): FAIL it once.
      const token = `refused:${r.reason}:${r.detail}`;
      if (!lastTokens.has(token))
        return { failed: { reason: r.reason, detail: `${r.phase}: ${printable(r.detail, 160)}` }, token };
    }
    await sleep(profile.dialogue.pollMs, shared.stopping);
  }
  return null;
}

/** What tells one unit from the next: its serial and, when the profile reads one, its per-boot nonce. */
function unitToken(serial: string, nonce: string | undefined): string {
  return `unit:${serial}:${nonce ?? ''}`;
}

/** The MAC and firmware version a unit reported, when its profile reads them (printable: they came off a wire). */
function identityOf(captures: Record<string, string>): Pick<DeviceEvent, 'mac' | 'firmware'> {
  const { mac, firmware } = captures;
  return {
    ...(mac === undefined ? {} : { mac: printable(mac, 80) }),
    ...(firmware === undefined ? {} : { firmware: printable(firmware, 80) }),
  };
}

/** Waits `ms`, or less when `signal` aborts (resolving either way). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
