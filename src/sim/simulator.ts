/**
 * The simulator: on each port, N units one after another, as an operator swapping units in a fixture would. A unit
 * leaves when the station reports its result (`RESULT`, or `saveenv` on the U-Boot console), when it is pulled
 * mid-reply (fault `disconnect`), or after `idleSwapMs` without a command once it has been written to; the next one
 * appears after `swapGapMs`. A port whose last unit has left is closed; the simulator ends when every port has.
 * Runs in its own process in tests and the demo (`credline sim`).
 */
import { setMaxListeners } from 'node:events';
import type { SerialPortSettings } from '../profiles/index.js';
import { type LineTransport, openSerialTransport, TransportError } from '../transport/index.js';
import { AgentUnit } from './agent-unit.js';
import { faultFor, type FaultKind, type FaultPlan } from './faults.js';
import { createRandom, randomHex } from './random.js';
import type { SimIdentity, SimTiming, SimUnit } from './sim-unit.js';
import { UBootUnit } from './uboot-unit.js';
import { setTimeout as delay } from 'node:timers/promises';

export type SimConsole = 'credline-agent' | 'u-boot';

export interface SimulatorOptions {
  ports: string[];
  /** Units per port (default: unlimited). */
  devices?: number;
  serialPrefix: string;
  seed: number;
  faults: FaultPlan;
  /** Units that arrive without a serial (`ID` says `serial=`): keys `${port}:${unit}` or `*:${unit}` (1-based). */
  blank?: ReadonlySet<string>;
  console: SimConsole;
  timing: SimTiming;
  swapGapMs: number;
  idleSwapMs: number;
  /** Adds the time the bytes take on a wire of this many baud (10 bits per byte), both ways. */
  wireBaud?: number;
  baudRate: number;
  /** When it aborts, every reply delay (latency, commit, a slow fault) ends at once, now and from then on. */
  release?: AbortSignal;
  /** Called for each unit as it appears and leaves. */
  log?: (event: SimEvent) => void;
}

export interface SimEvent {
  port: string;
  unit: number;
  serial: string;
  event: 'attached' | 'removed' | 'pulled';
  /** The unit arrived without a serial (`serial` is then the one it was given, or '' when it got none). */
  blank?: true;
  fault?: FaultKind;
  stored?: boolean;
  committed?: boolean;
}

/** Serves every port until each has presented its `devices` units and the last has left, or `signal` aborts. */
export async function runSimulator(options: SimulatorOptions, signal: AbortSignal): Promise<void> {
  setMaxListeners(0, signal); // every port and pending reply waits on it
  await Promise.all(options.ports.map((path, i) => servePort(options, path, i + 1, signal)));
}

/** The identity of unit `unit` on port `port` (1-based), before faults that alter it. */
export function simIdentity(
  options: Pick<SimulatorOptions, 'serialPrefix' | 'seed'>,
  port: number,
  unit: number,
  random: () => number,
): SimIdentity {
  return {
    serial: `${options.serialPrefix}${port}-${String(unit).padStart(6, '0')}`,
    mac: `02:${randomHex(random, 5).replace(/(..)(?!$)/g, '$1:')}`,
    firmware: '1.4.2',
    nonce: randomHex(random, 8),
  };
}

async function servePort(
  options: SimulatorOptions,
  path: string,
  port: number,
  signal: AbortSignal,
): Promise<void> {
  const settings: SerialPortSettings = {
    baudRate: options.baudRate,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    lineEnding: 'lf',
  };
  const transport = await openSerialTransport(path, settings);
  const random = createRandom((options.seed * 1000003 + port + hashText(options.serialPrefix)) >>> 0);
  try {
    for (let unit = 1; options.devices === undefined || unit <= options.devices; unit++) {
      if (signal.aborted) return;
      const fault = faultFor(options.faults, port, unit, random);
      const identity = simIdentity(options, port, unit, random);
      if (fault === 'duplicate-serial')
        identity.serial = simIdentity(options, port, Math.max(unit - 1, 1), () => 0).serial;
      if (fault === 'bad-serial') identity.serial = `${options.serialPrefix.toLowerCase()}${port}-${unit}#x`;
      if (fault === 'control-serial') identity.serial = `${options.serialPrefix}${port}-\u0007${unit}`;
      if (options.blank?.has(`${port}:${unit}`) || options.blank?.has(`*:${unit}`)) identity.serial = '';
      const blank = identity.serial === '' ? { blank: true as const } : {};
      const sim: SimUnit =
        options.console === 'u-boot'
          ? new UBootUnit(identity, fault, options.timing)
          : new AgentUnit(identity, fault, options.timing);
      options.log?.({
        port: path,
        unit,
        serial: identity.serial,
        event: 'attached',
        ...blank,
        ...(fault ? { fault } : {}),
      });
      // A unit that was not attached heard nothing sent during the gap (with no gap, the next poll is its own).
      if (options.swapGapMs > 0) transport.flushInput();
      const ended = await serveUnit(options, transport, sim, signal);
      options.log?.({
        port: path,
        unit,
        serial: identity.serial,
        event: ended,
        ...blank,
        stored: sim.state.stored !== undefined,
        committed: sim.state.committed,
        ...(fault ? { fault } : {}),
      });
      await sleep(options.swapGapMs, signal);
    }
  } catch (error) {
    if (!(error instanceof TransportError && error.kind === 'aborted')) throw error;
  } finally {
    await transport.close();
  }
}

async function serveUnit(
  options: SimulatorOptions,
  transport: LineTransport,
  unit: SimUnit,
  signal: AbortSignal,
): Promise<'removed' | 'pulled'> {
  let touched = false;
  for (const action of unit.boot()) if (action.kind === 'write') await transport.writeRaw(action.text);
  for (;;) {
    let line: string;
    try {
      line = await transport.readLine(touched ? options.idleSwapMs : 60_000, signal);
    } catch (error) {
      if (error instanceof TransportError && error.kind === 'timeout') {
        if (touched) return 'removed';
        continue;
      }
      throw error;
    }
    if (options.wireBaud) await sleep(wireMs(line.length + 1, options.wireBaud), signal);
    if (!/^(ID|printenv serial#)$/.test(line.trim())) touched = true;
    for (const action of unit.handle(line)) {
      if (action.kind === 'swap') return 'removed';
      if (action.kind === 'pulled') return 'pulled';
      const delay =
        (action.delayMs ?? 0) + (options.wireBaud ? wireMs(action.text.length, options.wireBaud) : 0);
      if (delay > 0)
        await sleep(delay, options.release ? AbortSignal.any([signal, options.release]) : signal);
      await transport.writeRaw(action.text);
    }
  }
}

function hashText(text: string): number {
  let h = 0;
  for (const ch of text) h = (Math.imul(h, 31) + (ch.codePointAt(0) ?? 0)) >>> 0;
  return h;
}

function wireMs(bytes: number, baud: number): number {
  return (bytes * 10 * 1000) / baud;
}

/** Waits `ms`, or less when `signal` aborts (resolving either way). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
