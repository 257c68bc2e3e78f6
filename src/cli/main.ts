/**
 * The credline CLI entry. Parsing and printing only: each command group lives in its own file and calls the
 * library. This is the one place that turns errors into exit codes; nothing else calls process.exit, except
 * closed-output.ts when the reader of stdout has gone (`credline evidence list | head -1`: exit 0, quietly).
 *
 * Command groups load lazily: `credline derive` does not pay for loading SQLite, serialport or PDF code. The
 * top-level help (or an unknown command) loads every group.
 */
import { Command, CommanderError } from 'commander';
import { CredlineError, ExitCode } from '../errors/credline-error.js';
import { endQuietlyWhenOutputCloses } from './closed-output.js';
import { exitCodeOf, resetExitCode } from './exit-status.js';
import { CREDLINE_VERSION } from './version.js';

type Register = (program: Command) => void;

const GROUPS = {
  keys: async () => (await import('./keys-commands.js')).registerKeysCommands,
  derive: async () => (await import('./derive-command.js')).registerDeriveCommand,
  profiles: async () => (await import('./profiles-commands.js')).registerProfilesCommands,
  provision: async () => (await import('./provision-command.js')).registerProvisionCommand,
  sim: async () => (await import('./sim-command.js')).registerSimCommand,
  ports: async () => (await import('./ports-command.js')).registerPortsCommand,
  evidence: async () => (await import('./evidence-commands.js')).registerEvidenceCommands,
  audit: async () => (await import('./audit-command.js')).registerAuditCommand,
  compliance: async () => (await import('./compliance-commands.js')).registerComplianceCommands,
  central: async () => (await import('./central-commands.js')).registerCentralCommands,
  serve: async () => (await import('./serve-command.js')).registerServeCommand,
  order: async () => (await import('./order-commands.js')).registerOrderCommands,
} satisfies Record<string, () => Promise<Register>>;

type GroupName = keyof typeof GROUPS;

/** The groups that register each top-level command (compliance adds `evidence retention`). */
const GROUPS_OF_COMMAND: Record<string, GroupName[]> = {
  keys: ['keys'],
  derive: ['derive'],
  profiles: ['profiles'],
  provision: ['provision'],
  sim: ['sim'],
  ports: ['ports'],
  evidence: ['evidence', 'compliance'],
  audit: ['audit'],
  product: ['compliance'],
  soc: ['compliance'],
  pack: ['compliance'],
  notice: ['compliance'],
  duties: ['compliance'],
  'batch-audit': ['compliance'],
  opss: ['compliance'],
  central: ['central'],
  sync: ['central'],
  serve: ['serve'],
  order: ['order'],
};

export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('credline')
    .description(
      'Unique, keyed, provable default passwords for every device on a factory line (UK PSTI Regulations 2023 ' +
        'Schedule 1 para 1; ETSI EN 303 645 provisions 5.1-1 and 5.1-2).',
    )
    .version(CREDLINE_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 a device/audit/verification failed, 2 usage/config/key error, 3 transport, 70 internal.\n' +
        'Docs: docs/derivation.md (the scheme), docs/keystore.md (key files), docs/evidence.md, docs/audit.md,\n' +
        'docs/compliance.md, provisioning/PROTOCOL.md (the device side).',
    );
  const first = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const wanted =
    (first === undefined ? undefined : GROUPS_OF_COMMAND[first]) ?? (Object.keys(GROUPS) as GroupName[]);
  for (const group of wanted) (await GROUPS[group]())(program);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  endQuietlyWhenOutputCloses();
  resetExitCode();
  try {
    await (await buildProgram(argv)).parseAsync(argv);
    return exitCodeOf();
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help/version text).
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof CredlineError) {
    process.stderr.write(`credline: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`credline: internal error: ${message}\n`);
  if (process.env['CREDLINE_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('credline: set CREDLINE_DEBUG=1 for a trace, and please report this as a bug\n');
  return ExitCode.internal;
}
