/**
 * `credline product init|validate|show|scope`: the product record a statement of compliance and the customer
 * notices are rendered from (docs/compliance.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { usageError } from '../../errors/credline-error.js';
import {
  formatLongDate,
  isCalendarDate,
  todayUtc,
  readJsonFile,
  writeFileAtomically,
  describeSpan,
  PRODUCT_RECORD_FORMAT,
  PRODUCT_RECORD_SCHEMA_VERSION,
  type ProductRecord,
  type ScopeAnswers,
  productRecordHash,
  productRecordWarnings,
  validateProductRecord,
  assessReadiness,
  assertSupportPeriodNotShortened,
  assertFirstSupplyKept,
  fixedFirstSupply,
  assessScope,
  renderScopeNote,
  listMissingRecordFields,
  productDisplayName,
  describeLabel,
  issuesError,
} from '../../compliance/index.js';
import { reportExitCode } from '../exit-status.js';
import { registerProductStoreCommands } from './product-store-command.js';
import {
  demoProductPath,
  loadProduct,
  productOptions,
  withComplianceStore,
  type ProductSourceOptions,
} from './product-source.js';

export function registerProductCommand(program: Command): void {
  const product = program
    .command('product')
    .description(
      'product records: what the statement of compliance and customer notices need (docs/compliance.md)',
    );

  registerProductStoreCommands(product);

  product
    .command('init')
    .description('write a new product record to fill in (or a copy of the example with --example)')
    .requiredOption('--id <ID>', 'product record id, e.g. acme-cam-2 ([a-z0-9][a-z0-9._-]{0,63})')
    .requiredOption('--out <FILE>', 'where to write the record')
    .option('--example', 'start from the shipped example record (provisioning/examples/demo-product.json)')
    .option('--force', 'overwrite an existing file')
    .action((opts: { id: string; out: string; example?: boolean; force?: boolean }) => {
      if (existsSync(opts.out) && !opts.force) {
        throw usageError('FILE_EXISTS', `${opts.out} exists (use --force to overwrite)`);
      }
      const record: ProductRecord = opts.example
        ? {
            ...(JSON.parse(readFileSync(demoProductPath(), 'utf8')) as ProductRecord),
            id: opts.id,
            revision: 1,
          }
        : {
            format: PRODUCT_RECORD_FORMAT,
            schemaVersion: PRODUCT_RECORD_SCHEMA_VERSION,
            id: opts.id,
            revision: 1,
          };
      const result = validateProductRecord(record);
      if (result.issues) throw issuesError('PRODUCT_RECORD_INVALID', '--id', result.issues);
      writeFileAtomically(opts.out, `${JSON.stringify(record, null, 2)}\n`);
      process.stdout.write(`wrote ${opts.out}\n`);
      const missing = listMissingRecordFields(record);
      if (missing.length > 0) {
        process.stdout.write(
          `fill in before issuing a statement:\n${missing.map((m) => `  - ${m}`).join('\n')}\n`,
        );
      }
      if (!record.scope) process.stdout.write('then record its scope: credline product scope --help\n');
    });

  productOptions(
    product
      .command('validate')
      .description(
        'check a product record: every problem with its JSON path (exit 2), then whether a statement can be ' +
          'issued from it (exit 1 when fields are missing)',
      )
      .option('--previous <FILE>', 'the revision published before: the support period must not be shortened'),
  ).action((reference: string, opts: ProductSourceOptions & { previous?: string; format: string }) => {
    const record = loadProduct(reference, opts);
    if (opts.previous) checkAgainstPrevious(record, opts.previous);
    const today = todayUtc();
    const readiness = assessReadiness(record, today);
    const warnings = productRecordWarnings(record, today);
    if (opts.format === 'json') {
      process.stdout.write(
        `${JSON.stringify(
          {
            valid: true,
            readyForStatement: readiness.state === 'ready',
            state: readiness.state,
            summary: readiness.summary,
            missing: readiness.missing,
            warnings,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      process.stdout.write(`${record.id} revision ${record.revision}: valid\n`);
      for (const w of warnings) process.stdout.write(`warning: ${w.path}: ${w.message}\n`);
      process.stdout.write(
        readiness.state === 'not-ready'
          ? `not ready for a statement; missing:\n${readiness.missing.map((m) => `  - ${m}`).join('\n')}\n`
          : `${readiness.summary}\n`,
      );
    }
    if (readiness.state === 'not-ready') reportExitCode(1);
  });

  productOptions(
    product.command('show').description('show a product record as credline reads it, with its hash'),
  ).action((reference: string, opts: ProductSourceOptions & { format: string }) => {
    const record = loadProduct(reference, opts);
    const hash = productRecordHash(record);
    if (opts.format === 'json') {
      process.stdout.write(`${JSON.stringify({ hash, record }, null, 2)}\n`);
      return;
    }
    process.stdout.write(describeRecord(record, hash));
  });

  productOptions(
    product
      .command('scope')
      .description(
        'print the product-scope note (Act section 4, Schedule 3 exceptions); with --answers, record new answers ' +
          'as the next revision (in --out, and in --db when given)',
      )
      .option('--answers <FILE>', 'JSON file with the scope answers (see docs/compliance.md)')
      .option('--decided-by <NAME_FUNCTION>', 'who decided: "Name, Function"')
      .option('--decided-on <DATE>', 'date of the decision, YYYY-MM-DD (default today)')
      .option('--notes <TEXT>', 'free-text reasoning to keep with the note')
      .option('--out <FILE>', 'where to write the product record with the new scope note'),
  ).action(
    (
      reference: string,
      opts: ProductSourceOptions & {
        format: string;
        answers?: string;
        decidedBy?: string;
        decidedOn?: string;
        notes?: string;
        out?: string;
      },
    ) => {
      let record = loadProduct(reference, opts);
      if (opts.answers) record = recordScope(record, opts);
      if (!record.scope) {
        throw usageError(
          'SCOPE_NOTE_MISSING',
          `product ${record.id} has no scope note yet: record one with --answers FILE --decided-by "Name, Function" --out FILE`,
        );
      }
      if (opts.format === 'json') {
        process.stdout.write(
          `${JSON.stringify({ scope: record.scope, assessment: assessScope(record.scope.answers) }, null, 2)}\n`,
        );
      } else {
        process.stdout.write(
          renderScopeNote(productDisplayName(record.product ?? {}) || record.id, record.scope),
        );
      }
    },
  );
}

function recordScope(
  record: ProductRecord,
  opts: {
    answers?: string;
    decidedBy?: string;
    decidedOn?: string;
    notes?: string;
    out?: string;
    db?: string;
  },
): ProductRecord {
  if (!opts.decidedBy || (!opts.out && !opts.db)) {
    throw usageError(
      'SCOPE_OPTIONS',
      'recording scope answers needs --decided-by "Name, Function", and --out FILE or --db FILE',
    );
  }
  const comma = opts.decidedBy.indexOf(',');
  const name = comma < 0 ? opts.decidedBy.trim() : opts.decidedBy.slice(0, comma).trim();
  const role = comma < 0 ? '' : opts.decidedBy.slice(comma + 1).trim();
  if (!name || !role)
    throw usageError(
      'SCOPE_OPTIONS',
      `--decided-by ${JSON.stringify(opts.decidedBy)}: expected "Name, Function"`,
    );
  const decidedOn = opts.decidedOn ?? todayUtc();
  if (!isCalendarDate(decidedOn))
    throw usageError('DATE_INVALID', `--decided-on ${decidedOn}: expected YYYY-MM-DD`);
  const next: ProductRecord = {
    ...record,
    revision: record.revision + 1,
    scope: {
      answers: readJsonFile(opts.answers as string) as ScopeAnswers,
      decidedBy: { name, function: role },
      decidedOn,
      ...(opts.notes ? { notes: opts.notes } : {}),
    },
  };
  const result = validateProductRecord(next);
  if (result.issues) {
    throw issuesError(
      'SCOPE_ANSWERS_INVALID',
      opts.answers as string,
      result.issues.map((i) => ({ ...i, path: i.path.replace(/^\$\.scope\.answers/, '$') })),
    );
  }
  if (opts.db) {
    withComplianceStore(opts.db, (store) => store.importProductRecord(next));
    process.stderr.write(`stored ${next.id} revision ${next.revision} in ${opts.db}\n`);
  }
  if (opts.out) {
    writeFileAtomically(opts.out, `${JSON.stringify(next, null, 2)}\n`);
    process.stderr.write(`wrote ${opts.out} (revision ${next.revision})\n`);
  }
  return next;
}

function checkAgainstPrevious(record: ProductRecord, previousPath: string): void {
  const previous = loadProduct(previousPath, {});
  if (previous.id !== record.id) {
    throw usageError(
      'PRODUCT_MISMATCH',
      `--previous ${previousPath} is product ${previous.id}, not ${record.id}`,
    );
  }
  if (record.revision <= previous.revision) {
    throw usageError(
      'REVISION_NOT_NEWER',
      `revision ${record.revision} is not newer than the previous revision ${previous.revision}`,
    );
  }
  const published = previous.supportPeriod?.endDate;
  const now = record.supportPeriod?.endDate;
  if (published && !now) {
    throw usageError(
      'SUPPORT_PERIOD_REMOVED',
      `$.supportPeriod: removed, but ${published} was already published`,
    );
  }
  if (published && now) assertSupportPeriodNotShortened(published, now, '$.supportPeriod.endDate');
  assertFirstSupplyKept(record, fixedFirstSupply([previous], []), `--previous ${previousPath}`);
}

function describeRecord(record: ProductRecord, hash: string): string {
  const lines = [
    `product    ${record.id} revision ${record.revision}${record.example ? '  (EXAMPLE data)' : ''}`,
    `hash       ${hash}`,
    `names      ${productDisplayName(record.product ?? {}) || '(missing)'}${record.product?.type ? ` (${record.product.type})` : ''}`,
  ];
  for (const m of record.manufacturers ?? []) lines.push(`maker      ${m.name}; ${m.address.join(', ')}`);
  for (const r of record.authorisedRepresentatives ?? [])
    lines.push(`auth. rep. ${r.name}; ${r.address.join(', ')}`);
  if (record.ukImporter)
    lines.push(`importer   ${record.ukImporter.name}; ${record.ukImporter.address.join(', ')}`);
  const support = record.supportPeriod;
  lines.push(
    `support    ${support ? `until ${formatLongDate(support.endDate)}` : '(missing)'}` +
      (support?.atFirstSupply
        ? ` (at first supply: until ${formatLongDate(support.atFirstSupply.endDate)})`
        : ''),
  );
  const reporting = record.securityIssueReporting;
  if (reporting) {
    const contact = [reporting.contact.email, reporting.contact.url, reporting.contact.telephone]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `reporting  ${contact}; acknowledge within ${describeSpan(reporting.acknowledgementWithin)}, ` +
        `updates every ${describeSpan(reporting.statusUpdatesEvery)}`,
    );
  } else lines.push('reporting  (missing)');
  for (const [requirement, basis] of Object.entries(record.complianceBasis ?? {})) {
    const standards =
      basis.basis === 'schedule-2'
        ? `: ${basis.standards.map((s) => `${s.id} ${s.version}`).join(', ')}`
        : '';
    lines.push(`basis      ${requirement}: ${basis.basis}${standards}`);
  }
  if (record.recognisedLabel) lines.push(`label      ${describeLabel(record.recognisedLabel)}`);
  if (record.roles) lines.push(`roles      ${record.roles.join(', ')}`);
  lines.push(`scope      ${record.scope ? assessScope(record.scope.answers).outcome : '(no scope note)'}`);
  return `${lines.join('\n')}\n`;
}
