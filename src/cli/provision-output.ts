/**
 * What `credline provision` prints: one unmistakable PASS/FAIL line per device on stdout (or one JSON line with
 * `--format jsonl`), port changes and notices on stderr, and on a terminal a status line with the station's tally.
 */
import type { DeviceEvent, RunEvent, StationTally } from '../station/index.js';

export type ProvisionFormat = 'text' | 'jsonl';

/** Prints one run event; `tally` is the station's count after it. */
export type ProvisionPrinter = (event: RunEvent, tally: Readonly<StationTally>) => void;

export function createProvisionPrinter(format: ProvisionFormat, count: number | undefined): ProvisionPrinter {
  const colour = process.stdout.isTTY === true && format === 'text';
  const statusLine = process.stderr.isTTY === true;
  const clearStatus = (): void => {
    if (statusLine) process.stderr.write('\r\x1b[K');
  };
  const showStatus = (tally: Readonly<StationTally>): void => {
    if (!statusLine) return;
    const done = tally.pass + tally.fail + tally.aborted;
    process.stderr.write(
      `\r\x1b[K  ${tally.pass} PASS  ${tally.fail} FAIL  ${done}${count ? `/${count}` : ''} done  ${tally.devicesPerMin.toFixed(1)} devices/min`,
    );
  };
  return (event, tally) => {
    if (event.type === 'notice') {
      clearStatus();
      process.stderr.write(`credline: ${event.text}\n`);
      return;
    }
    if (event.type === 'start') {
      process.stderr.write(
        `credline: provisioning ${event.profileId} r${event.profileRevision} (${event.entropyBits.toFixed(1)}-bit passwords) ` +
          `with key ${event.keyId} on ${event.ports.length} port(s), batch ${event.batchId}, evidence ${event.dbFile}\n`,
      );
      return;
    }
    if (format === 'jsonl') {
      if (event.type === 'end') {
        process.stdout.write(`${JSON.stringify({ ...event, type: 'summary' })}\n`);
      } else process.stdout.write(`${JSON.stringify({ ...event, at: new Date().toISOString() })}\n`);
      return;
    }
    clearStatus();
    if (event.type === 'port') {
      process.stderr.write(`port ${event.port}: ${event.state}${event.detail ? ` (${event.detail})` : ''}\n`);
    } else if (event.type === 'device') {
      process.stdout.write(`${formatDevice(event, colour)}\n`);
    } else {
      process.stdout.write(
        `summary: ${event.pass} PASS, ${event.fail} FAIL, ${event.aborted} ABORTED in ${(event.elapsedMs / 1000).toFixed(1)} s ` +
          `(${event.devicesPerMin.toFixed(1)} devices/min)\n`,
      );
      return;
    }
    showStatus(tally);
  };
}

/** The operator's line: `PASS  serial  port  ...` or `FAIL  serial  port  reason: detail`. */
export function formatDevice(e: DeviceEvent, colour: boolean): string {
  const mark = e.result === 'PASS' ? ' PASS ' : e.result === 'ABORTED' ? ' ABORT' : ' FAIL ';
  const painted = colour
    ? e.result === 'PASS'
      ? `\x1b[1;42;30m${mark}\x1b[0m`
      : `\x1b[1;41;97m${mark}\x1b[0m`
    : mark.trim().padEnd(5);
  const serial = (e.serial ?? '(no serial)').padEnd(18);
  const tail =
    e.result === 'PASS'
      ? `attempt ${e.attempt ?? 0}${e.reprovisioned ? ', re-provisioned' : ''}, evidence #${e.evidenceSeq ?? '-'}`
      : `${e.reason ?? 'failed'}: ${e.detail ?? ''}`;
  return `${painted} ${serial} ${e.port}  ${tail}`;
}
