/** `credline notice`: the customer-facing support-period and security-reporting information, and security.txt. */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { renderCustomerNotice, renderSecurityTxt } from '../../compliance/index.js';
import { safeFileStem, writeDocuments } from './output-files.js';
import { loadProduct } from './product-source.js';

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days)) throw new InvalidArgumentError('expected a whole number of days');
  return days;
}

export function registerNoticeCommand(program: Command): void {
  program
    .command('notice')
    .description(
      'customer notices (Schedule 1 paras 2 and 3): defined support period in plain English and how to report ' +
        'security issues (text and HTML), plus an RFC 9116 security.txt',
    )
    .requiredOption('--product <PRODUCT>', 'product record file (or product id with --db)')
    .option('--db <FILE>', 'evidence database holding the product record')
    .option('--out <DIR>', 'write notice .txt/.html and security.txt here (default: print the text notice)')
    .option('--expires-days <N>', 'security.txt Expires, days from today (1-365)', parseDays, 180)
    .option(
      '--canonical <URL>',
      'security.txt Canonical URL, e.g. https://example.com/.well-known/security.txt',
    )
    .option('--force', 'overwrite existing files')
    .action(
      (opts: {
        product: string;
        db?: string;
        out?: string;
        expiresDays: number;
        canonical?: string;
        force?: boolean;
      }) => {
        const record = loadProduct(opts.product, { db: opts.db });
        const notice = renderCustomerNotice(record);
        const securityTxt = renderSecurityTxt(record, {
          expiresInDays: opts.expiresDays,
          canonicalUrl: opts.canonical,
        });
        if (!opts.out) {
          process.stdout.write(notice.text);
          return;
        }
        const stem = safeFileStem(`customer-notice-${record.id}`);
        const paths = writeDocuments(
          opts.out,
          { [`${stem}.txt`]: notice.text, [`${stem}.html`]: notice.html, 'security.txt': securityTxt },
          opts.force,
        );
        for (const path of paths) process.stdout.write(`wrote ${path}\n`);
      },
    );
}
