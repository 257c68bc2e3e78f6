/**
 * The credline CLI entry. Parsing and printing only: each command group lives in its own file and calls the
 * library. This is the one place that turns errors into exit codes; nothing else calls process.exit.
 */
import { Command, CommanderError } from 'commander';
import { CredlineError, ExitCode } from '../errors/credline-error.js';
import { registerDeriveCommand } from './derive-command.js';
import { registerKeysCommands } from './keys-commands.js';
import { registerEvidenceCommands } from './evidence-commands.js';
import { registerAuditCommand } from './audit-command.js';
import { registerProfilesCommands } from './profiles-commands.js';
import { registerSimCommand } from './sim-command.js';
import { registerProvisionCommand } from './provision-command.js';
import { registerComplianceCommands } from './compliance-commands.js';
import { exitCodeOf, resetExitCode } from './exit-status.js';

const VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command('credline')
    .description(
      'Unique, keyed, provable default passwords for every connectable device on a factory line\n' +
        '(UK PSTI Regulations 2023 Schedule 1 para 1; ETSI EN 303 645 provision 5.1-1/5.1-2).',
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 a device/audit/verification failed, 2 usage/config/key error, 3 transport, 70 internal.\n' +
        'Docs: docs/derivation.md (the scheme), docs/keystore.md (key files).',
    );
  registerKeysCommands(program);
  registerDeriveCommand(program);
  registerProfilesCommands(program);
  registerProvisionCommand(program);
  registerSimCommand(program);
  registerEvidenceCommands(program);
  registerAuditCommand(program);
  registerComplianceCommands(program);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  resetExitCode();
  try {
    await buildProgram().parseAsync(argv);
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
