/** `credline opss record|update|close|list|response`: the register of OPSS notices, in the evidence database. */
import { type Command, Option } from 'commander';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  todayUtc,
  writeFileAtomically,
  daysToDeadline,
  NOTICE_TYPE_NAMES,
  NOTICE_TYPES,
  parseDueWithin,
  type NoticeEvent,
  closeNotice,
  listNotices,
  recordNotice,
  updateNotice,
  assembleResponse,
} from '../../compliance/index.js';
import { usageError } from '../../errors/credline-error.js';
import { withComplianceStore } from './product-source.js';

function printEvents(events: readonly NoticeEvent[]): void {
  for (const e of events) {
    process.stdout.write(
      `  ${e.kind.padEnd(7)} ${e.text}${e.fileSha256 ? ` (${e.fileName}, SHA-256 ${e.fileSha256})` : ''}` +
        `${e.sentOn ? ` on ${e.sentOn}` : ''}  [seal seq ${e.seq ?? '-'}]\n`,
    );
  }
}

export function registerOpssCommand(program: Command): void {
  const opss = program
    .command('opss')
    .description('the register of notices served by the Office for Product Safety and Standards (OPSS)');

  opss
    .command('record')
    .description('record a notice received: type, dates, reference, product, owner and what it asks')
    .addOption(new Option('--type <TYPE>', 'kind of notice').choices([...NOTICE_TYPES]).makeOptionMandatory())
    .requiredOption('--received <DATE>', 'date received, YYYY-MM-DD')
    .requiredOption('--deadline <DATE>', 'date the response is due, YYYY-MM-DD')
    .requiredOption('--reference <REF>', "OPSS's reference")
    .requiredOption('--product <ID>', 'product id stored in --db')
    .option('--batch <BATCH>', 'the batch it concerns')
    .requiredOption('--owner <NAME>', 'who answers it (a person or team)')
    .requiredOption('--summary <TEXT>', 'what the notice asks')
    .requiredOption('--db <FILE>', 'evidence database')
    .addHelpText(
      'after',
      '\nExample:\n  credline opss record --type information --received 2026-12-01 --deadline 2026-12-15 \\\n' +
        '    --reference OPSS-IN-0042 --product demo-camera --batch DEMO-B1 --owner "Ana Silva" \\\n' +
        '    --summary "evidence for serials DEMO-100001 to DEMO-100003" --db line1.db',
    )
    .action(
      (opts: {
        type: string;
        received: string;
        deadline: string;
        reference: string;
        product: string;
        batch?: string;
        owner: string;
        summary: string;
        db: string;
      }) => {
        const notice = withComplianceStore(opts.db, (store) => {
          store.getProductRecord(opts.product);
          if (opts.batch) store.requireBatch(opts.batch);
          return recordNotice(
            store.evidence,
            {
              type: opts.type,
              reference: opts.reference,
              received: opts.received,
              deadline: opts.deadline,
              productId: opts.product,
              batchId: opts.batch,
              owner: opts.owner,
              summary: opts.summary,
            },
            new Date(),
          );
        });
        process.stdout.write(
          `recorded ${NOTICE_TYPE_NAMES[notice.type]} ${notice.reference} for ${notice.productId}: due ${notice.deadline}, ` +
            `owner ${notice.owner} (seal seq ${notice.seq ?? '-'})\n`,
        );
      },
    );

  opss
    .command('update')
    .description(
      'record an action, attach files (bytes kept with their SHA-256), or record what was sent and when',
    )
    .argument('<REF>', "the notice's reference")
    .requiredOption('--db <FILE>', 'evidence database')
    .option('--action <TEXT>', 'what was done')
    .option('--attach <FILE...>', 'files to keep with the notice')
    .option(
      '--sent <FILE>',
      'what was sent to OPSS: a file, e.g. a restricted pack (.zip, or a pack folder: its SHA256SUMS)',
    )
    .option('--sent-on <DATE>', 'the day it was sent, YYYY-MM-DD (default today)')
    .action(
      (
        reference: string,
        opts: { db: string; action?: string; attach?: string[]; sent?: string; sentOn?: string },
      ) => {
        const sent = opts.sent ? { file: packFile(opts.sent), on: opts.sentOn ?? todayUtc() } : undefined;
        const events = withComplianceStore(opts.db, (store) =>
          updateNotice(
            store.evidence,
            reference,
            { action: opts.action, attach: opts.attach, sent },
            new Date(),
          ),
        );
        process.stdout.write(`recorded against ${reference}:\n`);
        printEvents(events);
      },
    );

  opss
    .command('close')
    .description('close a notice, saying how it was resolved')
    .argument('<REF>', "the notice's reference")
    .requiredOption('--outcome <TEXT>', 'how it ended')
    .requiredOption('--db <FILE>', 'evidence database')
    .action((reference: string, opts: { outcome: string; db: string }) => {
      const event = withComplianceStore(opts.db, (store) =>
        closeNotice(store.evidence, reference, opts.outcome, new Date()),
      );
      process.stdout.write(`closed ${reference}: ${event.text} (seal seq ${event.seq ?? '-'})\n`);
    });

  opss
    .command('list')
    .description(
      'the register: open notices first by deadline, with days left; --due-within 14d for those due soon',
    )
    .requiredOption('--db <FILE>', 'evidence database')
    .option('--due-within <DAYS>', 'only open notices due within this many days, e.g. 14d')
    .option('--today <DATE>', 'judge deadlines as of this day (default today, UTC)')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { db: string; dueWithin?: string; today?: string; format: string }) => {
      const today = opts.today ?? todayUtc();
      const within = opts.dueWithin === undefined ? undefined : parseDueWithin(opts.dueWithin);
      const all = withComplianceStore(opts.db, (store) => listNotices(store.evidence));
      const shown = all.filter(
        (n) => within === undefined || (n.status === 'open' && daysToDeadline(n.notice, today) <= within),
      );
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      if (shown.length === 0) process.stdout.write('no notices\n');
      for (const { notice, events, status } of shown) {
        const days = daysToDeadline(notice, today);
        const when =
          status === 'closed' ? 'closed' : days < 0 ? `OVERDUE by ${-days} day(s)` : `due in ${days} day(s)`;
        process.stdout.write(
          `${notice.reference.padEnd(16)} ${notice.type.padEnd(16)} ${notice.productId}${notice.batchId ? `/${notice.batchId}` : ''}  ` +
            `deadline ${notice.deadline} (${when})  owner ${notice.owner}  ${events.length} event(s)\n`,
        );
      }
    });

  opss
    .command('response')
    .description(
      'assemble the response record: notice, actions, packs and files sent, statement, scope note, manifest',
    )
    .argument('<REF>', "the notice's reference")
    .requiredOption('--out <DIR>', 'a new folder')
    .requiredOption('--db <FILE>', 'evidence database')
    .action((reference: string, opts: { out: string; db: string }) => {
      if (existsSync(opts.out)) throw usageError('FILE_EXISTS', `${opts.out} exists: give a new folder`);
      const files = withComplianceStore(opts.db, (store) => assembleResponse(store, reference));
      for (const file of files) {
        const path = join(opts.out, file.name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileAtomically(path, file.data);
      }
      const sums = files[files.length - 1] as { data: string | Uint8Array };
      process.stdout.write(
        `wrote the response record of ${reference} to ${opts.out} (${files.length} files)\n` +
          `  SHA-256 of SHA256SUMS: ${createHash('sha256').update(sums.data).digest('hex')}\n`,
      );
    });
}

/** A pack folder is sent as its SHA256SUMS (which names the SHA-256 of every file in it). */
function packFile(path: string): string {
  const sums = join(path, 'SHA256SUMS');
  return existsSync(sums) ? sums : path;
}
