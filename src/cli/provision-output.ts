/**
 * What `credline provision` prints: one unmistakable PASS/FAIL line per device on stdout (FAIL with its reason and
 * what to do), port changes and notices on stderr, and on a terminal a status line with the station's tally. With
 * `--format jsonl`, stdout carries JSON lines an MES can rely on (provisioning/JSONL.md, schema
 * provisioning/provision-jsonl.schema.json): a start record, one per device, port change and unit found
 * interrupted, and an end record with the tally.
 */
import type { DeviceEvent, RunEvent, StationTally } from '../station/index.js';

export type ProvisionFormat = 'text' | 'jsonl';

/** Prints one run event; `tally` is the station's count after it. */
export type ProvisionPrinter = (event: RunEvent, tally: Readonly<StationTally>) => void;

/** The version of the JSON-line records (`v` in each). */
export const JSONL_VERSION = 1;

/** `extraStatus` adds words to the status line (the central backlog with --central). */
export function createProvisionPrinter(
  format: ProvisionFormat,
  count: number | undefined,
  extraStatus: () => string = () => '',
): ProvisionPrinter {
  return format === 'jsonl' ? jsonlPrinter() : textPrinter(count, extraStatus);
}

function textPrinter(count: number | undefined, extraStatus: () => string): ProvisionPrinter {
  const colour = process.stdout.isTTY === true;
  const statusLine = process.stderr.isTTY === true;
  const clearStatus = (): void => {
    if (statusLine) process.stderr.write('\r\x1b[K');
  };
  return (event, tally) => {
    clearStatus();
    switch (event.type) {
      case 'notice':
        process.stderr.write(`credline: ${event.text}\n`);
        return;
      case 'start':
        process.stderr.write(
          `credline: provisioning ${event.profileId} r${event.profileRevision} (${event.entropyBits.toFixed(1)}-bit passwords) ` +
            `with key ${event.keyId}${event.testKey ? ' (TEST KEY)' : ''} on ${event.ports.length} port(s), ` +
            `batch ${event.batchId}, evidence ${event.dbFile}\n`,
        );
        return;
      case 'interrupted':
        process.stderr.write(
          `credline: ${event.serial}${event.port ? ` on ${event.port}` : ''} was in hand when this station last ` +
            `stopped (recorded ABORTED, evidence #${event.intentSeq}): ${event.advice}\n`,
        );
        return;
      case 'port':
        process.stderr.write(
          `port ${event.port}: ${event.state}${event.detail ? ` (${event.detail})` : ''}\n`,
        );
        break;
      case 'device':
        process.stdout.write(`${formatDevice(event, colour)}\n`);
        break;
      case 'end':
        process.stdout.write(
          `summary: ${event.pass} PASS, ${event.fail} FAIL, ${event.aborted} ABORTED in ${(event.elapsedMs / 1000).toFixed(1)} s ` +
            `(${event.devicesPerMin.toFixed(1)} devices/min)\n`,
        );
        return;
    }
    if (statusLine) {
      const done = tally.pass + tally.fail + tally.aborted;
      process.stderr.write(
        `  ${tally.pass} PASS  ${tally.fail} FAIL  ${done}${count ? `/${count}` : ''} done  ${tally.devicesPerMin.toFixed(1)} devices/min${extraStatus()}`,
      );
    }
  };
}

/**
 * The operator's line: `PASS  serial  port  attempt 0, evidence #12` or
 * `FAIL  serial  port  reason: detail -- what to do`.
 */
export function formatDevice(e: DeviceEvent, colour: boolean): string {
  const mark = e.result === 'PASS' ? ' PASS ' : e.result === 'ABORTED' ? ' ABORT' : ' FAIL ';
  const painted = colour
    ? e.result === 'PASS'
      ? `\x1b[1;42;30m${mark}\x1b[0m`
      : `\x1b[1;41;97m${mark}\x1b[0m`
    : mark.trim().padEnd(5);
  const serial = `${e.serial ?? '(no serial)'}${e.assigned ? ' (assigned)' : ''}`.padEnd(18);
  const tail =
    e.result === 'PASS'
      ? `attempt ${e.attempt ?? 0}${e.reprovisioned ? ', re-provisioned' : ''}, evidence #${e.evidenceSeq ?? '-'}`
      : `${e.reason ?? 'failed'}: ${e.detail ?? ''}${e.advice ? ` -- ${e.advice}` : ''}`;
  return `${painted} ${serial} ${e.port}  ${tail}${e.testKey ? '  [TEST KEY: never ship]' : ''}`;
}

function jsonlPrinter(): ProvisionPrinter {
  const run = { keyId: '', batch: '', testKey: false };
  const write = (record: Record<string, unknown>): void => {
    process.stdout.write(
      `${JSON.stringify({ v: JSONL_VERSION, ...record, at: new Date().toISOString() })}\n`,
    );
  };
  return (event) => {
    switch (event.type) {
      case 'notice':
        process.stderr.write(`credline: ${event.text}\n`);
        return;
      case 'start':
        Object.assign(run, {
          keyId: event.keyId,
          batch: event.batchId,
          testKey: event.testKey !== undefined,
        });
        write({
          type: 'start',
          profile: event.profileId,
          profileRevision: event.profileRevision,
          profileHash: event.profileHash,
          keyId: event.keyId,
          testKey: event.testKey !== undefined,
          batch: event.batchId,
          station: event.stationId,
          ports: event.ports,
        });
        return;
      case 'device':
        write({
          type: 'device',
          serial: event.serial,
          port: event.port,
          result: event.result,
          reason: event.reason ?? null,
          detail: event.detail ?? null,
          advice: event.advice ?? null,
          attempt: event.attempt ?? null,
          keyId: run.keyId,
          batch: run.batch,
          fingerprint: event.fingerprint ?? null,
          mac: event.mac ?? null,
          firmware: event.firmware ?? null,
          reprovisioned: event.reprovisioned === true,
          assigned: event.assigned === true,
          testKey: run.testKey,
          evidenceSeq: event.evidenceSeq ?? null,
          elapsedMs: tenths(event.elapsedMs),
          deviceWaitMs: tenths(event.deviceWaitMs),
        });
        return;
      case 'port':
        write({ type: 'port', port: event.port, state: event.state, detail: event.detail ?? null });
        return;
      case 'interrupted':
        write({
          type: 'interrupted',
          serial: event.serial,
          port: event.port,
          intentSeq: event.intentSeq,
          startedAt: event.startedAt,
          advice: event.advice,
        });
        return;
      case 'end':
        write({
          type: 'end',
          pass: event.pass,
          fail: event.fail,
          aborted: event.aborted,
          stoppedEarly: event.stoppedEarly,
          elapsedMs: tenths(event.elapsedMs),
          devicesPerMin: tenths(event.devicesPerMin),
        });
        return;
    }
  };
}

/** A duration rounded to 0.1 ms (a rate to 0.1/min). */
function tenths(value: number): number {
  return Math.round(value * 10) / 10;
}
