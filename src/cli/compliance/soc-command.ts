/**
 * `credline soc issue|check|template`: statements of compliance (Schedule 4) issued from a product record, and
 * checks of a supplier's statement (sections 15 and 16 of the Act).
 */
import { type Command, Option } from 'commander';
import {
  todayUtc,
  writeFileAtomically,
  recordLabelRoute,
  recordSupplierCheck,
  firstPassAt,
  buildLabelRoute,
  renderLabelRouteMarkdown,
  describeLabel,
  LABEL_ROUTE_CITATION,
  checkStatementFile,
  renderStatementHtml,
  renderStatementMarkdown,
  renderStatementTemplate,
  renderStatementPdf,
  buildStatement,
  labelRouteOpen,
  type StatementOfCompliance,
  type StatementRequest,
  openComplianceStore,
  type ProductRecord,
  loadProductRecordFile,
  dutyOwnerOf,
} from '../../compliance/index.js';
import { usageError } from '../../errors/credline-error.js';
import { existsSync } from 'node:fs';
import { reportExitCode } from '../exit-status.js';
import { assertWritable, safeFileStem, writeDocuments } from './output-files.js';
import { loadProduct, withComplianceStore } from './product-source.js';

export interface IssueOptions {
  product: string;
  batch: string;
  signatory: string;
  place: string;
  date?: string;
  statementDespiteLabel?: string;
  backdatedReason?: string;
  out: string;
  db?: string;
  central?: string;
  centralEnv?: string;
  centralKey?: string;
  force?: boolean;
  format: string;
}

/** Renders the statement in every form; the JSON form is what `soc check` and the evidence store read. */
export async function renderStatementDocuments(
  statement: StatementOfCompliance,
  stem: string,
): Promise<Record<string, string | Uint8Array>> {
  return {
    [`${stem}.json`]: `${JSON.stringify(statement, null, 2)}\n`,
    [`${stem}.md`]: renderStatementMarkdown(statement),
    [`${stem}.html`]: renderStatementHtml(statement),
    [`${stem}.pdf`]: await renderStatementPdf(statement),
  };
}

export interface IssuedSummary {
  product: string;
  batch: string;
  files: string[];
  retainUntil: string;
  id?: number;
  contentHash?: string;
  /** With --central: the store, and the statement's seq in its compliance chain. */
  recordedIn?: string;
  seq?: number;
}

export interface LabelRouteSummary {
  product: string;
  batch: string;
  route: 'label';
  label: string;
  files: string[];
  retainUntil: string;
  /** With --db: the label route's document id and the seq of its seal (with --central: in the compliance chain). */
  id?: number;
  seq?: number | null;
  recordedIn?: string;
}

/** A product holding a label current on the date of supply, with no statement asked for: the label is recorded. */
export function labelRouteFor(record: ProductRecord, opts: IssueOptions, supplyDate: string): boolean {
  return opts.statementDespiteLabel === undefined && labelRouteOpen(record, supplyDate);
}

function recordLabelRouteFiles(
  record: ProductRecord,
  opts: IssueOptions,
  supplyDate: string,
): LabelRouteSummary {
  const route = buildLabelRoute(record, {
    batch: opts.batch,
    dateOfSupply: supplyDate,
    recordedBy: opts.signatory,
  });
  const stem = safeFileStem(`label-route-${record.id}-${route.product.batch}`);
  const files = writeDocuments(
    opts.out,
    {
      [`${stem}.json`]: `${JSON.stringify(route, null, 2)}\n`,
      [`${stem}.md`]: renderLabelRouteMarkdown(route),
    },
    opts.force,
  );
  return {
    product: record.id,
    batch: route.product.batch,
    route: 'label',
    label: describeLabel(route.label),
    files,
    retainUntil: route.retainUntil,
  };
}

async function issueUnrecorded(
  opts: IssueOptions,
  request: StatementRequest,
): Promise<IssuedSummary | LabelRouteSummary> {
  const record = loadProduct(opts.product, {});
  const supplyDate = opts.date ?? todayUtc();
  if (labelRouteFor(record, opts, supplyDate)) return recordLabelRouteFiles(record, opts, supplyDate);
  const statement = buildStatement(record, request);
  const stem = safeFileStem(`statement-of-compliance-${record.id}-${statement.product.batch}`);
  const files = writeDocuments(opts.out, await renderStatementDocuments(statement, stem), opts.force);
  return {
    product: record.id,
    batch: statement.product.batch,
    files,
    retainUntil: statement.retainUntil ?? '',
  };
}

/**
 * With --db: the product record (imported first when a file is given) and batch come from the evidence database;
 * every check runs before anything is written; the statement is recorded, then its documents are written.
 */
async function issueRecorded(
  opts: IssueOptions,
  request: StatementRequest,
): Promise<IssuedSummary | LabelRouteSummary> {
  const store = openComplianceStore(opts.db as string);
  try {
    let record: ProductRecord;
    if (existsSync(opts.product)) {
      record = loadProductRecordFile(opts.product);
      store.importProductRecord(record);
    } else {
      record = store.getProductRecord(opts.product);
    }
    const batchId = opts.batch.trim();
    const batch = store.requireBatch(batchId);
    const firstPassOn = firstPassAt(store, batchId)?.slice(0, 10);
    const supplyDate = opts.date ?? firstPassOn ?? todayUtc();
    if (labelRouteFor(record, opts, supplyDate)) {
      if (firstPassOn === undefined) {
        throw usageError('BATCH_HAS_NO_PASS', `batch ${batchId} has no PASS results: nothing was supplied`);
      }
      const route = buildLabelRoute(record, {
        batch: batchId,
        dateOfSupply: supplyDate,
        recordedBy: opts.signatory,
      });
      store.assertBatchFitsProduct(batch, record.id, route.supportPeriod.endDate);
      const stem = safeFileStem(`label-route-${record.id}-${batchId}`);
      const documents = {
        [`${stem}.json`]: `${JSON.stringify(route, null, 2)}\n`,
        [`${stem}.md`]: renderLabelRouteMarkdown(route),
      };
      assertWritable(opts.out, Object.keys(documents), opts.force);
      const stored = recordLabelRoute(store.evidence, route, new Date());
      const files = writeDocuments(opts.out, documents, opts.force);
      return {
        product: record.id,
        batch: batchId,
        route: 'label',
        label: describeLabel(route.label),
        files,
        retainUntil: route.retainUntil,
        id: stored.id,
        seq: stored.seq,
      };
    }
    const statement = buildStatement(record, { ...request, firstPassOn });
    store.assertBatchFitsProduct(batch, record.id, statement.supportPeriod.endDate);
    const stem = safeFileStem(`statement-of-compliance-${record.id}-${statement.product.batch}`);
    const documents = await renderStatementDocuments(statement, stem);
    assertWritable(opts.out, Object.keys(documents), opts.force);
    const issued = store.recordStatement(statement);
    const files = writeDocuments(opts.out, documents, opts.force);
    return {
      product: record.id,
      batch: statement.product.batch,
      files,
      retainUntil: issued.retainUntil,
      id: issued.id,
      contentHash: issued.contentHash,
    };
  } finally {
    store.close();
  }
}

export function registerSocCommand(program: Command): void {
  const soc = program
    .command('soc')
    .description('statements of compliance (PSTI Act section 9, SI 2023/1007 Schedule 4): issue and check');

  soc
    .command('issue')
    .description(
      'issue the statement of compliance for a batch as JSON, Markdown, HTML and PDF (ready to sign)',
    )
    .requiredOption('--product <PRODUCT>', 'product record file (or product id with --db)')
    .requiredOption('--batch <BATCH>', 'batch id (Schedule 4 para 1(a))')
    .requiredOption('--signatory <NAME_FUNCTION>', 'who signs: "Name, Function" (para 1(f))')
    .requiredOption('--place <PLACE>', 'place of issue (para 1(g))')
    .option(
      '--date <DATE>',
      'date of issue (or of supply, on the label route), YYYY-MM-DD (default today, UTC)',
    )
    .option(
      '--backdated-reason <TEXT>',
      "why the date of issue is before the batch's first PASS or the scope decision (recorded in the statement)",
    )
    .option(
      '--statement-despite-label <REASON>',
      'issue a statement although the product holds a current recognised label, recording why',
    )
    .option('--out <DIR>', 'directory for the documents', '.')
    .option('--db <FILE>', 'evidence database: check the batch and record the issued statement')
    .option(
      '--central <URL>',
      'or the central store: check the batch across every station, record the statement in the compliance chain',
    )
    .option('--central-env <VAR>', 'the central store URL (which may carry a password) from this variable')
    .option('--central-key <FILE>', 'with --central: the named central key that signs the compliance chain')
    .addOption(new Option('--passphrase-env <VAR>', 'the central key file passphrase from this variable'))
    .addOption(new Option('--passphrase-file <FILE>', 'the central key file passphrase from FILE'))
    .option('--force', 'overwrite existing documents')
    .addOption(new Option('--format <FORMAT>', 'what to print').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExample:\n  credline soc issue --product product.json --batch B-0042 --signatory "Ana Silva, Head of Compliance" \\\n' +
        '    --place "Leeds, United Kingdom" --out statements/',
    )
    .action(async (opts: IssueOptions) => {
      const request = {
        batch: opts.batch,
        signatory: opts.signatory,
        place: opts.place,
        date: opts.date,
        despiteLabel: opts.statementDespiteLabel,
        backdatedReason: opts.backdatedReason,
      };
      const central =
        opts.central === undefined && opts.centralEnv === undefined
          ? undefined
          : (await import('../../central/index.js')).centralTarget(opts);
      if (central !== undefined && opts.db !== undefined)
        throw usageError('CENTRAL_AND_DB', 'give --db FILE or --central URL, not both');
      const issued =
        central !== undefined
          ? await (await import('./soc-central.js')).issueCentral(central, opts, request)
          : opts.db
            ? await issueRecorded(opts, request)
            : await issueUnrecorded(opts, request);
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(issued, null, 2)}\n`);
        return;
      }
      if ('route' in issued) {
        process.stdout.write(
          `no statement issued for ${issued.product}, batch ${issued.batch}: ${issued.label} is current, so ` +
            `${LABEL_ROUTE_CITATION} meets the statement duty; recorded the label route:\n`,
        );
        for (const path of issued.files) process.stdout.write(`  ${path}\n`);
        if (issued.recordedIn !== undefined) {
          process.stdout.write(
            `recorded in ${issued.recordedIn} as document ${issued.id} (compliance chain seq ${issued.seq}, head signed)\n`,
          );
        } else if (issued.id !== undefined) {
          process.stdout.write(
            `recorded in ${opts.db} as label route ${issued.id} (seal seq ${issued.seq ?? '-'})\n`,
          );
        }
        process.stdout.write(
          `retain it until at least ${issued.retainUntil}; keep publishing the support period (credline notice)\n`,
        );
        return;
      }
      process.stdout.write(`issued statement of compliance for ${issued.product}, batch ${issued.batch}\n`);
      for (const path of issued.files) process.stdout.write(`  ${path}\n`);
      if (issued.recordedIn !== undefined) {
        process.stdout.write(
          `recorded in ${issued.recordedIn} as statement document ${issued.id} (compliance chain seq ${issued.seq}, ` +
            `head signed), SHA-256 ${issued.contentHash}\n`,
        );
      } else if (issued.contentHash) {
        process.stdout.write(
          `recorded in ${opts.db} as statement ${issued.id}, SHA-256 ${issued.contentHash}\n`,
        );
      }
      process.stdout.write(`retain a copy until at least ${issued.retainUntil} (regulations 8 and 9)\n`);
      process.stdout.write('print the PDF, sign it (para 1(f)), and keep the signed copy\n');
    });

  soc
    .command('check')
    .description(
      "check a supplier's statement (credline JSON, or the filled Markdown template) for every Schedule 4 field " +
        'and a sane support period; exit 1 listing each gap',
    )
    .argument('<FILE>', 'the statement: .json from credline, or a filled copy of `credline soc template`')
    .option('--today <DATE>', 'judge dates as of this day, YYYY-MM-DD (default today, UTC)')
    .option(
      '--product <PRODUCT>',
      'the product it is for (id with --db, or a record file): names owner and escalation',
    )
    .option('--batch <BATCH>', "with --record: the supplier's batch it covers")
    .option('--db <FILE>', 'evidence database (with --record)')
    .option(
      '--record',
      "record the check and keep the statement's bytes with their SHA-256 (needs --db, --product, --batch)",
    )
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      (
        file: string,
        opts: {
          today?: string;
          format: string;
          product?: string;
          batch?: string;
          db?: string;
          record?: boolean;
        },
      ) => {
        if (opts.record && (!opts.db || !opts.product || !opts.batch)) {
          throw usageError(
            'SOC_CHECK_RECORD',
            'soc check --record needs --db FILE, --product ID and --batch BATCH',
          );
        }
        const record = opts.product ? loadProduct(opts.product, { db: opts.db }) : undefined;
        const result = checkStatementFile(file, { today: opts.today });
        let recorded: { id: number; seq: number | null; sha256: string } | undefined;
        if (opts.record) {
          const stored = withComplianceStore(opts.db as string, (store) =>
            recordSupplierCheck(
              store.evidence,
              {
                productId: (record as ProductRecord).id,
                batchId: opts.batch as string,
                statement: file,
                today: opts.today,
              },
              new Date(),
            ),
          );
          recorded = { id: stored.id, seq: stored.seq, sha256: stored.document.file.sha256 };
        }
        if (result.gaps.length > 0) reportExitCode(1);
        if (opts.format === 'json') {
          process.stdout.write(
            `${JSON.stringify({ file, ...result, complete: result.gaps.length === 0, recorded }, null, 2)}\n`,
          );
          return;
        }
        if (result.gaps.length === 0) {
          process.stdout.write(
            result.form === 'label-route'
              ? `${file}: label route: the label passes the S.I. 2025/1267 rule and was current on the date of supply; support period given\n`
              : `${file}: every Schedule 4 field present; support period sane\n`,
          );
        } else {
          process.stdout.write(`${file}: ${result.gaps.length} gap(s) against Schedule 4:\n`);
          for (const g of result.gaps)
            process.stdout.write(`  ${g.paragraph.padEnd(5)} ${g.field}: ${g.problem}\n`);
          const owner = record && dutyOwnerOf(record, 'supplier-statement-checked');
          if (owner) process.stdout.write(`owner: ${owner.owner}; escalate to ${owner.escalation}\n`);
        }
        if (recorded) {
          process.stdout.write(
            `recorded as supplier statement check ${recorded.id} (seal seq ${recorded.seq ?? '-'}); statement kept, SHA-256 ${recorded.sha256}\n`,
          );
        }
      },
    );

  soc
    .command('template')
    .description(
      'print (or write) the Markdown statement template to send to suppliers; soc check reads it back',
    )
    .option('--out <FILE>', 'write to a file instead of standard output')
    .action((opts: { out?: string }) => {
      const template = renderStatementTemplate();
      if (opts.out) writeFileAtomically(opts.out, template);
      else process.stdout.write(template);
    });
}
