/**
 * `credline sim`: simulated devices on serial ports (or pseudo-terminals), for tests, the demo, and firmware teams
 * comparing their implementation of provisioning/PROTOCOL.md.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { usageError } from '../errors/credline-error.js';
import { FAULT_KINDS, parseFaults, runSimulator, type SimConsole, type SimEvent } from '../sim/index.js';

interface SimOptions {
  port: string[];
  devices?: number;
  serialPrefix: string;
  seed: number;
  fault: string[];
  blank: string[];
  faultRate: number;
  console: SimConsole;
  latencyMs: number;
  commitMs: number;
  swapGapMs: number;
  idleSwapMs: number;
  wireBaud?: number;
  baud: number;
  format: 'text' | 'jsonl';
}

const integer =
  (min: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return n;
  };

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('simulate devices on serial ports: N units one after another per port, with injected faults')
    .requiredOption(
      '--port <PATH>',
      'serial port or pty to serve (repeat for several)',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .option(
      '--devices <N>',
      'units per port, one after another; sim exits once the last has left (default: no limit)',
      integer(1),
    )
    .option('--serial-prefix <S>', 'serials are <S><port>-<unit, 6 digits>', 'SIM')
    .option('--seed <N>', 'seed for nonces, MACs and rate-drawn faults', integer(0), 1)
    .option(
      '--fault <KIND[@[PORT:]UNIT],...>',
      'inject faults (repeatable): KIND@N (unit N of every port), KIND@P:N (port P, unit N), or KIND with --fault-rate',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .option(
      '--blank <[PORT:]UNIT>',
      'unit UNIT (of every port, or of port PORT) arrives without a serial and takes the one SETSERIAL gives it (repeatable; credline-agent console)',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .option(
      '--fault-rate <R>',
      'probability 0..1 that a unit gets one of the --fault kinds given without @ (any kind if none); a kind without @ needs it',
      Number,
      0,
    )
    .addOption(
      new Option('--console <KIND>', 'what the units speak')
        .choices(['credline-agent', 'u-boot'])
        .default('credline-agent'),
    )
    .option('--latency-ms <MS>', 'device processing time added to every reply', integer(0), 0)
    .option('--commit-ms <MS>', 'time a commit (flash write) takes', integer(0), 0)
    .option('--swap-gap-ms <MS>', 'time between one unit leaving and the next appearing', integer(0), 300)
    .option(
      '--idle-swap-ms <MS>',
      'a unit that was written to and hears nothing for this long is swapped',
      integer(10),
      3000,
    )
    .option(
      '--wire-baud <BAUD>',
      'add the time bytes take on a UART of this speed (10 bits per byte)',
      integer(50),
    )
    .option('--baud <BAUD>', 'baud rate to open the ports with', integer(50), 115200)
    .addOption(new Option('--format <FORMAT>', 'event output').choices(['text', 'jsonl']).default('text'))
    .addHelpText(
      'after',
      `\nFault kinds:\n${Object.entries(FAULT_KINDS)
        .map(([k, v]) => `  ${k.padEnd(17)} ${v}`)
        .join(
          '\n',
        )}\n\nExamples:\n  socat -d -d pty,raw,echo=0 pty,raw,echo=0     # prints two /dev/pts paths: give one to sim, one to provision\n` +
        '  credline sim --port /dev/pts/3 --devices 10 --fault nak@3,wrong-readback@7\n' +
        '  credline sim --port /dev/pts/3 --devices 14 --blank 3                  # unit 3 arrives without a serial\n' +
        '  credline sim --port /dev/pts/3 --console u-boot --fault-rate 0.1 --seed 42\n' +
        '  credline sim --port /dev/pts/3 --fault nak,stall --fault-rate 0.05       # 5% of units get nak or stall\n' +
        '  credline sim --port /dev/pts/3 --commit-ms 600000 &  kill -USR2 $!     # a commit held until SIGUSR2\n',
    )
    .action(async (opts: SimOptions) => {
      const faults = parseFaults(opts.fault, opts.faultRate);
      const blank = parseBlankUnits(opts.blank);
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // SIGUSR2 lets every held reply go: a test holds a unit with a long --commit-ms and releases it when it wants.
      const release = new AbortController();
      process.once('SIGUSR2', () => release.abort());
      const log = (e: SimEvent): void => {
        if (opts.format === 'jsonl') process.stdout.write(`${JSON.stringify(e)}\n`);
        else
          process.stdout.write(
            `sim ${e.port} unit ${e.unit} ${e.serial.replace(/[^\x20-\x7e]/g, '?')} ${e.event}${e.fault ? ` (fault ${e.fault})` : ''}\n`,
          );
      };
      try {
        await runSimulator(
          {
            ports: opts.port,
            ...(opts.devices === undefined ? {} : { devices: opts.devices }),
            serialPrefix: opts.serialPrefix,
            seed: opts.seed,
            faults,
            blank,
            console: opts.console,
            timing: { latencyMs: opts.latencyMs, commitMs: opts.commitMs },
            swapGapMs: opts.swapGapMs,
            idleSwapMs: opts.idleSwapMs,
            release: release.signal,
            ...(opts.wireBaud === undefined ? {} : { wireBaud: opts.wireBaud }),
            baudRate: opts.baud,
            log,
          },
          controller.signal,
        );
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}

/** `--blank 3` (unit 3 of every port) or `--blank 2:3` (port 2, unit 3), as the simulator's keys. */
function parseBlankUnits(specs: readonly string[]): Set<string> {
  return new Set(
    specs
      .flatMap((s) => s.split(','))
      .map((spec) => {
        const m = /^(?:(\d+):)?(\d+)$/.exec(spec.trim());
        if (!m)
          throw usageError(
            'SIM_BLANK',
            `--blank ${JSON.stringify(spec)}: expected UNIT or PORT:UNIT, e.g. 3 or 2:3`,
          );
        return `${m[1] ?? '*'}:${Number(m[2])}`;
      }),
  );
}
