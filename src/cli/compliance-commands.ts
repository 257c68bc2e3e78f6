/**
 * The compliance commands: `product`, `soc`, `notice`, `pack`, `duties`, `opss`, and `evidence retention` (docs/compliance.md).
 * Each lives in its own file under cli/compliance/.
 */
import type { Command } from 'commander';
import { registerDutiesCommand } from './compliance/duties-command.js';
import { registerNoticeCommand } from './compliance/notice-command.js';
import { registerOpssCommand } from './compliance/opss-command.js';
import { registerPackCommand } from './compliance/pack-command.js';
import { registerProductCommand } from './compliance/product-command.js';
import { registerRetentionCommand } from './compliance/retention-command.js';
import { registerSocCommand } from './compliance/soc-command.js';

export function registerComplianceCommands(program: Command): void {
  registerProductCommand(program);
  registerSocCommand(program);
  registerNoticeCommand(program);
  registerPackCommand(program);
  registerRetentionCommand(program);
  registerDutiesCommand(program);
  registerOpssCommand(program);
}
