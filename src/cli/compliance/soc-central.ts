/**
 * `soc issue --central URL --central-key FILE`: one statement (or label route) for a batch made on several
 * stations. The batch, its PASS results and its support period in force come from every station's records in the
 * central store; the product record (a file, recorded centrally, or a product id recorded before) and the
 * statement are recorded as documents of the compliance chain, whose head the named central key then signs.
 * Every check runs, and the key is opened, before anything is recorded or written.
 */
import { existsSync } from 'node:fs';
import type { CentralReader, CentralTarget } from '../../central/index.js';
import {
  assertBatchFits,
  batchSupport,
  buildLabelRoute,
  buildStatement,
  describeLabel,
  loadProductRecordFile,
  renderLabelRouteMarkdown,
  statementContentHash,
  todayUtc,
  type ProductRecord,
  type StatementRequest,
} from '../../compliance/index.js';
import { usageError } from '../../errors/credline-error.js';
import { withCentralReader } from '../central-option.js';
import { openSealedKey } from '../open-line-key.js';
import { assertWritable, safeFileStem, writeDocuments } from './output-files.js';
import {
  labelRouteFor,
  renderStatementDocuments,
  type IssueOptions,
  type IssuedSummary,
  type LabelRouteSummary,
} from './soc-command.js';

/** The document kinds compliance commands record centrally. */
export const DOCUMENT_KINDS = {
  productRecord: 'product-record',
  batchProduct: 'batch-product',
  statement: 'statement',
  labelRoute: 'label-route',
} as const;

/** A statement as recorded centrally (the body of its document). */
export interface CentralStatementBody {
  statement: ReturnType<typeof buildStatement>;
  contentHash: string;
  batchId: string;
  productId: string;
  productRevision: number;
  dateOfIssue: string;
  retainUntil: string;
  /** Each station's head in the central store when the statement was issued. */
  stationHeads: { stationId: string; seq: number }[];
}

export async function issueCentral(
  target: CentralTarget,
  opts: IssueOptions,
  request: StatementRequest,
): Promise<IssuedSummary | LabelRouteSummary> {
  if (opts.centralKey === undefined)
    throw usageError(
      'CENTRAL_KEY_NEEDED',
      'soc issue --central needs --central-key FILE: the named central key that signs the compliance chain',
    );
  const central = await import('../../central/index.js');
  return withCentralReader(target, async (reader) => {
    const record = await productRecordOf(reader, opts.product);
    const batchId = opts.batch.trim();
    const facts = await central.centralBatchFacts(reader, batchId);
    const firstPassOn = facts.firstPassAt?.slice(0, 10);
    const supplyDate = opts.date ?? firstPassOn ?? todayUtc();
    const linked = (
      await central.centralDocuments<{ productId: string }>(reader, DOCUMENT_KINDS.batchProduct, batchId)
    )[0]?.body.productId;
    const knownEnds = (
      await central.centralDocuments<ProductRecord>(reader, DOCUMENT_KINDS.productRecord, record.id)
    )
      .map((d) => d.body.supportPeriod?.endDate)
      .filter((d): d is string => d !== undefined);
    const fits = (statedSupportEnd: string): void =>
      assertBatchFits(
        facts.batch,
        {
          passes: facts.passes,
          linkedProduct: linked,
          knownSupportEnds: [...knownEnds, ...(record.supportPeriod ? [record.supportPeriod.endDate] : [])],
          support: batchSupport({ getBatchTerms: () => facts.terms }, facts.batch),
        },
        record.id,
        statedSupportEnd,
      );
    const where = central.describeCentral(target);

    if (labelRouteFor(record, opts, supplyDate)) {
      if (firstPassOn === undefined)
        throw usageError('BATCH_HAS_NO_PASS', `batch ${batchId} has no PASS results: nothing was supplied`);
      const route = buildLabelRoute(record, {
        batch: batchId,
        dateOfSupply: supplyDate,
        recordedBy: opts.signatory,
      });
      fits(route.supportPeriod.endDate);
      const stem = safeFileStem(`label-route-${record.id}-${batchId}`);
      const documents = {
        [`${stem}.json`]: `${JSON.stringify(route, null, 2)}\n`,
        [`${stem}.md`]: renderLabelRouteMarkdown(route),
      };
      assertWritable(opts.out, Object.keys(documents), opts.force);
      const sealed = await recordAndSign(reader, opts, record, linked, batchId, {
        kind: DOCUMENT_KINDS.labelRoute,
        body: route,
      });
      return {
        product: record.id,
        batch: batchId,
        route: 'label',
        label: describeLabel(route.label),
        files: writeDocuments(opts.out, documents, opts.force),
        retainUntil: route.retainUntil,
        id: sealed.documentId,
        seq: sealed.seq,
        recordedIn: where,
      };
    }

    const statement = buildStatement(record, { ...request, firstPassOn });
    fits(statement.supportPeriod.endDate);
    const stem = safeFileStem(`statement-of-compliance-${record.id}-${statement.product.batch}`);
    const documents = await renderStatementDocuments(statement, stem);
    assertWritable(opts.out, Object.keys(documents), opts.force);
    const contentHash = statementContentHash(statement);
    const retainUntil = statement.retainUntil ?? '';
    const body: CentralStatementBody = {
      statement,
      contentHash,
      batchId,
      productId: record.id,
      productRevision: record.revision,
      dateOfIssue: statement.dateOfIssue,
      retainUntil,
      stationHeads: (await reader.stats()).map((s) => ({
        stationId: s.stationId,
        seq: s.headSeq,
      })),
    };
    const sealed = await recordAndSign(reader, opts, record, linked, batchId, {
      kind: DOCUMENT_KINDS.statement,
      body,
    });
    return {
      product: record.id,
      batch: batchId,
      files: writeDocuments(opts.out, documents, opts.force),
      retainUntil,
      id: sealed.documentId,
      contentHash,
      recordedIn: where,
      seq: sealed.seq,
    };
  });
}

/** The product record: a file (recorded centrally as it is), or the latest recorded under that product id. */
async function productRecordOf(reader: CentralReader, reference: string): Promise<ProductRecord> {
  if (existsSync(reference)) return loadProductRecordFile(reference);
  const { centralDocuments, describeCentral } = await import('../../central/index.js');
  const recorded = await centralDocuments<ProductRecord>(reader, DOCUMENT_KINDS.productRecord, reference);
  const latest = recorded.reduce<ProductRecord | undefined>(
    (best, d) => (best === undefined || d.body.revision >= best.revision ? d.body : best),
    undefined,
  );
  if (latest === undefined)
    throw usageError(
      'PRODUCT_NOT_FOUND',
      `no product record file ${reference}, and no product ${reference} recorded in ${describeCentral(reader.target)}`,
    );
  return latest;
}

/**
 * Opens the central key (a wrong passphrase stops here, before anything is recorded), records the product record,
 * the batch's link to it and the document, then signs the compliance chain's head.
 */
async function recordAndSign(
  reader: CentralReader,
  opts: IssueOptions,
  record: ProductRecord,
  linked: string | undefined,
  batchId: string,
  document: { kind: string; body: unknown },
): Promise<{ documentId: number; seq: number }> {
  const { centralKeyName, recordCentralDocument, signComplianceHead } =
    await import('../../central/index.js');
  const keyFile = opts.centralKey as string;
  const opened = await openSealedKey(keyFile, opts as unknown as Record<string, unknown>, {
    prompt: `Passphrase for ${keyFile}: `,
  });
  try {
    if (opened.header.kind !== 'station')
      throw usageError(
        'KEY_KIND',
        `${keyFile} is a ${opened.header.kind} key; a central key is an Ed25519 key (credline keys create --kind station)`,
      );
    await centralKeyName(reader, opened.secret);
    await reader.query('BEGIN');
    try {
      await recordCentralDocument(reader, {
        kind: DOCUMENT_KINDS.productRecord,
        key: record.id,
        body: record,
      });
      if (linked === undefined)
        await recordCentralDocument(reader, {
          kind: DOCUMENT_KINDS.batchProduct,
          key: batchId,
          body: { batchId, productId: record.id },
        });
      const sealed = await recordCentralDocument(reader, { ...document, key: batchId });
      await signComplianceHead(reader, opened.secret, `${document.kind} ${batchId}`);
      await reader.query('COMMIT');
      return sealed;
    } catch (error) {
      await reader.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    opened.secret.fill(0);
  }
}
