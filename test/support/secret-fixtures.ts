/**
 * vitest global set-up: the committed fixture key files and passphrase files are made 0600, as an operator keeps
 * them (git stores only 0644/0755, and credline warns about secret files that group or others can read).
 */
import { chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export default function setup(): void {
  const dir = join(__dirname, '../fixtures');
  for (const name of readdirSync(dir)) {
    if (/\.(ckey|json)$|passphrase/.test(name)) chmodSync(join(dir, name), 0o600);
  }
}
