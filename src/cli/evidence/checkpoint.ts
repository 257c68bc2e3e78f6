/** `credline evidence checkpoint`: sign the chain head with a station key (the station does it after every run). */
import type { Command } from 'commander';
import { usageError } from '../../errors/credline-error.js';
import { checkpointEvidenceStore } from '../../evidence/index.js';
import { stationKeyId } from '../../keys/index.js';
import { openSealedKey } from '../open-line-key.js';
import { addPassphraseOptions } from '../passphrase-options.js';
import { dbOption } from './options.js';
import { write } from './print.js';

interface CheckpointOptions {
  db: string;
  stationKey: string;
  station: string;
  reason: string;
  [k: string]: unknown;
}

export function addCheckpointCommand(evidence: Command): void {
  const checkpoint = evidence
    .command('checkpoint')
    .description(
      'sign the current chain head with a station key (the station does this after every run and batch)',
    )
    .addOption(dbOption())
    .requiredOption('--station-key <FILE>', 'sealed station key file (credline keys create --kind station)')
    .requiredOption('--station <ID>', 'the station id recorded with the checkpoint')
    .option('--reason <TEXT>', 'why this checkpoint was taken', 'manual');
  addPassphraseOptions(checkpoint).action(async (opts: CheckpointOptions) => {
    const opened = await openSealedKey(opts.stationKey, opts, {
      prompt: `Passphrase for ${opts.stationKey}: `,
    });
    try {
      if (opened.header.kind !== 'station') {
        throw usageError(
          'KEY_KIND',
          `${opts.stationKey} is a ${opened.header.kind} key; a station key is needed here`,
        );
      }
      const signed = checkpointEvidenceStore(opts.db, opened.secret, {
        stationId: opts.station,
        reason: opts.reason,
      });
      write(
        `checkpoint ${signed.id}: signed seq ${signed.headSeq} ${signed.headHash} with station key ` +
          `${stationKeyId(signed.publicKey)} (public key ${signed.publicKey})`,
      );
    } finally {
      opened.secret.fill(0);
    }
  });
}
