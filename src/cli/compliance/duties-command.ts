/**
 * `credline duties`: every duty of the business's role(s) for a product, with trigger, action, owner and escalation,
 * the evidence held (seq of each row) and the state; exit 1 when any is missing. `batch-audit` records a batch
 * audit's outcome as evidence.
 */
import { type Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import {
  recordBatchAudit,
  todayUtc,
  anyMissing,
  assessDuties,
  type DutyEvidence,
  renderDutiesReport,
  type DutiesFormat,
  gatherDutyEvidence,
  type ProductRecord,
  loadProductRecordFile,
} from '../../compliance/index.js';
import { usageError } from '../../errors/credline-error.js';
import { reportExitCode } from '../exit-status.js';
import { withComplianceStore } from './product-source.js';

const NO_EVIDENCE: DutyEvidence = {
  revisions: [],
  batches: [],
  statements: [],
  labelRoutes: [],
  audits: [],
  supplierChecks: [],
};

export function registerDutiesCommand(program: Command): void {
  program
    .command('duties')
    .description(
      "the duties of the business's role(s) for a product (manufacturer, importer, distributor): trigger, action, " +
        'owner and escalation, evidence held and state; exit 1 when any is missing',
    )
    .option('--product <PRODUCT>', 'product id stored in --db, or a product record file')
    .option('--db <FILE>', 'evidence database holding the evidence (without it only the record is judged)')
    .addOption(
      new Option('--format <FORMAT>', 'output format')
        .choices(['text', 'json', 'md', 'html'])
        .default('text'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  credline duties --product demo-camera --db line1.db\n' +
        '  credline duties --product demo-plug-cls --db line1.db --format md > duties.md',
    )
    .action((opts: { product?: string; db?: string; format: DutiesFormat }) => {
      if (!opts.product)
        throw usageError('PRODUCT_MISSING', 'duties needs --product P (an id with --db, or a file)');
      const product = opts.product;
      const { record, evidence } = opts.db
        ? withComplianceStore(opts.db, (store) => {
            const stored = existsSync(product)
              ? loadProductRecordFile(product)
              : store.getProductRecord(product);
            return { record: stored, evidence: gatherDutyEvidence(store, stored.id) };
          })
        : { record: loadProductRecordFile(product), evidence: NO_EVIDENCE };
      const states = assessDuties(record, evidence);
      process.stdout.write(
        renderDutiesReport(
          {
            productId: record.id,
            revision: record.revision,
            roles: record.roles ?? ['manufacturer'],
            asOf: todayUtc(),
            states,
          },
          opts.format,
        ),
      );
      if (anyMissing(states)) reportExitCode(1);
    });

  program
    .command('batch-audit')
    .description(
      "record a batch audit's outcome (credline audit --format json) as the evidence for batch-audited / supplier-batch-audited",
    )
    .requiredOption('--product <ID>', 'product id')
    .requiredOption('--batch <BATCH>', 'the batch audited (a supplier batch id for an importer)')
    .requiredOption('--report <FILE>', 'the JSON report of credline audit')
    .requiredOption('--db <FILE>', 'evidence database')
    .addOption(
      new Option('--role <ROLE>', 'whose audit this is')
        .choices(['manufacturer', 'importer'])
        .default('manufacturer'),
    )
    .action(
      (opts: {
        product: string;
        batch: string;
        report: string;
        db: string;
        role: 'manufacturer' | 'importer';
      }) => {
        const stored = withComplianceStore(opts.db, (store) => {
          store.getProductRecord(opts.product) satisfies ProductRecord;
          return recordBatchAudit(
            store.evidence,
            { productId: opts.product, batchId: opts.batch, role: opts.role, report: opts.report },
            new Date(),
          );
        });
        process.stdout.write(
          `recorded batch audit ${stored.id} of ${opts.batch} for ${opts.product}: ${stored.document.passed ? 'PASS' : 'FAIL'} ` +
            `(report SHA-256 ${stored.document.reportSha256}, seal seq ${stored.seq ?? '-'})\n`,
        );
        if (!stored.document.passed) reportExitCode(1);
      },
    );
}
