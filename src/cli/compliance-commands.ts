import type { Command } from 'commander';

/** Placeholder: the owning issue's work registers its commands here. */
export function registerComplianceCommands(_program: Command): void {}
