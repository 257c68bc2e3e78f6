import type { Command } from 'commander';

/** Placeholder: the owning issue's work registers its commands here. */
export function registerAuditCommand(_program: Command): void {}
