/**
 * `credline profiles list|show|validate`: the shipped device profiles and checks for your own.
 */
import { type Command, Option } from 'commander';
import {
  checkProfile,
  listShippedProfilePaths,
  loadProfile,
  readProfileJson,
  type StoreSpec,
} from '../profiles/index.js';
import { entropyBits } from '../derive/index.js';
import { reportExitCode } from './exit-status.js';
import { CredlineError } from '../errors/credline-error.js';

export function registerProfilesCommands(program: Command): void {
  const profiles = program.command('profiles').description('list, show and validate device profiles');

  profiles
    .command('list')
    .description('list the profiles shipped in device-profiles/')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { format: string }) => {
      const rows = listShippedProfilePaths().map((path) => {
        const { profile, hash } = loadProfile(path);
        return {
          id: profile.id,
          revision: profile.revision,
          product: `${profile.product.manufacturer} ${profile.product.model}`,
          stores: profile.store.kind,
          path,
          hash,
        };
      });
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const r of rows) {
        process.stdout.write(
          `${r.id.padEnd(20)} rev ${String(r.revision).padEnd(3)} ${r.stores.padEnd(14)} ${r.product}\n`,
        );
      }
    });

  profiles
    .command('show')
    .description('show a profile (a file or a shipped id) as credline reads it, with its hash')
    .argument('<PROFILE>', 'profile file, or the id of a shipped profile')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'))
    .action((ref: string, opts: { format: string }) => {
      const { profile, hash, source } = loadProfile(ref);
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify({ source, hash, profile }, null, 2)}\n`);
        return;
      }
      const p = profile.passwordPolicy;
      const lines = [
        `profile   ${profile.id} revision ${profile.revision}  (${source})`,
        `hash      ${hash}`,
        `product   ${profile.product.manufacturer} ${profile.product.model} (${profile.product.type})`,
        `port      ${profile.serialPort.baudRate} baud ${profile.serialPort.dataBits}${profile.serialPort.parity[0]?.toUpperCase()}${profile.serialPort.stopBits}, line ending ${profile.serialPort.lineEnding}`,
        `serial    /${profile.identity.serial.pattern}/, case ${profile.canonicalisation.serialCase}`,
        `policy    ${p.length} symbols from ${p.alphabetSpec === p.alphabet ? JSON.stringify(p.alphabet) : p.alphabetSpec} ` +
          `(${entropyBits(p.alphabet.length, p.length).toFixed(1)} bits; minimum ${p.minEntropyBits} bits, zxcvbn >= ${p.minZxcvbnScore})`,
        `stores    ${storeText(profile.store)}`,
        `console   interprets ${JSON.stringify(profile.console.interprets)}, quoting ${profile.console.quoting}`,
        `dialogue  identify ${profile.dialogue.identify.length}, write ${profile.dialogue.write.length}, verify by ${profile.dialogue.verify.readback.compare}, commit ${profile.dialogue.commit.length}, login check ${profile.dialogue.loginCheck.length}, lock ${profile.dialogue.lock.length} step(s)`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  profiles
    .command('validate')
    .description('check profile files; prints every problem with its JSON path (exit 2 when any is invalid)')
    .argument('<FILE...>', 'profile files')
    .action((files: string[]) => {
      let bad = 0;
      for (const file of files) {
        let result;
        try {
          result = checkProfile(readProfileJson(file), file);
        } catch (error) {
          if (!(error instanceof CredlineError)) throw error;
          process.stdout.write(`${error.message}\n`);
          bad++;
          continue;
        }
        if (result.issues) {
          bad++;
          for (const issue of result.issues)
            process.stdout.write(`${file}: ${issue.path}: ${issue.message}\n`);
        } else {
          process.stdout.write(
            `${file}: ok (${result.loaded.profile.id} revision ${result.loaded.profile.revision}, hash ${result.loaded.hash.slice(0, 16)})\n`,
          );
        }
      }
      if (bad > 0) reportExitCode(2);
    });
}

function storeText(store: StoreSpec): string {
  switch (store.kind) {
    case 'plaintext':
      return `plaintext (${store.why})`;
    case 'pbkdf2-sha256':
      return `PBKDF2-SHA-256 verifier, ${store.iterations} iterations, ${store.saltBytes}-byte salt`;
    case 'sha512-crypt':
      return `SHA-512-crypt ($6$), ${store.rounds} rounds, fresh 16-character salt per device`;
    case 'bcrypt':
      return `bcrypt ($2b$), cost ${store.cost}, fresh 16-byte salt per device`;
  }
}
