/**
 * The evidence pack for a batch: everything an auditor (or OPSS, answering an information notice) needs to check
 * the statement of compliance against the line's evidence, with a manifest of SHA-256s and a README saying how to
 * check each claim without trusting credline. Optionally restricted to a serial range or a date range.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LineKey } from '../derive/index.js';
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { exportEvidence, verifyEvidence, type VerifyReport } from '../evidence/index.js';
import type { StepProgress } from '../progress/index.js';
import type { AuditProgress } from '../audit/index.js';
import { profileHashInput, loadProfile, type LoadedProfile } from '../profiles/index.js';
import { packVerifierFiles } from './pack-verifier.js';
import { batchSupport } from './batch-support.js';
import { sha256Hex } from './canonical-json.js';
import { listRetention, type RetentionEntry } from './compliance-retention.js';
import { openComplianceStore, type ComplianceStore } from './compliance-store.js';
import { renderPackReadme } from './pack-readme.js';
import { inRestriction, isRestricted, restrictionOf, type PackRestriction } from './pack-restriction.js';
import { auditRecordedBatch, type PackAudit, type RecordedDevice } from './pack-audit.js';
import { checkFingerprintUniqueness, type UniquenessReport } from './pack-uniqueness.js';
import { packDocumentOf } from './pack-route.js';
import { packOrderReports } from './pack-orders.js';

export interface PackRequest extends PackRestriction {
  /** Which statement of the batch the pack carries (default the latest; needed when a restricted pack has several). */
  statementId?: number;
  dbFile: string;
  batchId: string;
  /** Profile file or shipped id; default the batch's profile id among the shipped profiles. */
  profile?: string;
  /**
   * The line key (32 bytes), to re-derive the batch in memory and audit it against every Schedule 1 para 1 rule.
   * Without it, uniqueness is shown from fingerprints only. The caller zeroes it afterwards.
   */
  lineKey?: LineKey | Uint8Array;
  /**
   * Signed order report files, besides the reports the store holds (which the pack carries by itself): each is
   * checked against the store (signature, every figure) and carried in orders/ unless the store holds the same
   * bytes; one that does not match stops the pack (exit 1).
   */
  orderReports?: readonly string[];
  /** Open the store read-only: never migrate an older file (the read-only web console). */
  readonly?: boolean;
  /** Build the pack even when `evidence verify` fails, marked FAILED throughout. */
  markFailures?: boolean;
  /**
   * Hears the long steps as they go: `verifying the chain` and `SQLite integrity check` (evidence verify),
   * `exporting the batch's records`, and with a line key `auditing` each rule (`auditing: guessable, zxcvbn`).
   */
  onProgress?: StepProgress;
  /**
   * The generation time; default the time the chain head was recorded, so that two builds of one store's pack are
   * byte-identical.
   */
  now?: Date;
}

export interface PackFile {
  /** Relative path inside the pack (forward slashes). */
  name: string;
  data: Uint8Array;
}

export interface EvidencePack {
  files: PackFile[];
  verified: boolean;
  uniqueness: UniquenessReport;
  /** Set when the batch was re-derived with the line key and audited. */
  audit?: PackAudit;
  restricted: boolean;
  /** The pack's generation time (also the zip entries' timestamp). */
  generatedAt: Date;
}

const encoder = new TextEncoder();

function jsonFile(name: string, value: unknown): PackFile {
  return { name, data: encoder.encode(`${JSON.stringify(value, null, 2)}\n`) };
}

function textFile(name: string, text: string): PackFile {
  return { name, data: encoder.encode(text) };
}

interface BatchEvents {
  /** The records kept, as credline's export JSONL. */
  jsonl: Buffer;
  records: number;
  /** The latest PASS result of each serial, in chain order. */
  devices: RecordedDevice[];
  keyIds: string[];
}

/**
 * The batch's chained records as JSONL (credline's export format), restricted when asked. Each line is parsed
 * once; only the few fields the pack needs are kept, so memory is the JSONL text plus one small entry per device.
 */
async function exportBatchEvents(request: PackRequest): Promise<BatchEvents> {
  const dir = mkdtempSync(join(tmpdir(), 'credline-pack-'));
  const onProgress = request.onProgress;
  try {
    const out = join(dir, 'events.jsonl');
    await exportEvidence(request.dbFile, {
      format: 'jsonl',
      out,
      batchId: request.batchId,
      since: request.since,
      ...(onProgress
        ? { onProgress: (_step, done, total) => onProgress("exporting the batch's records", done, total) }
        : {}),
    });
    const kept: string[] = [];
    const bySerial = new Map<string, RecordedDevice>();
    const keyIds = new Set<string>();
    for (const line of readFileSync(out, 'utf8').split('\n')) {
      if (line === '') continue;
      const r = JSON.parse(line) as Record<string, unknown>;
      if (!inRestriction(r, request)) continue;
      kept.push(line);
      if (typeof r['key_id'] === 'string') keyIds.add(r['key_id']);
      if (r['result'] !== 'PASS' || typeof r['serial'] !== 'string' || typeof r['fingerprint'] !== 'string')
        continue;
      bySerial.delete(r['serial']);
      bySerial.set(r['serial'], {
        serial: r['serial'],
        fingerprint: r['fingerprint'],
        attempt: typeof r['attempt'] === 'number' ? r['attempt'] : 0,
        keyId: String(r['key_id']),
      });
    }
    return {
      jsonl: Buffer.from(kept.length > 0 ? `${kept.join('\n')}\n` : ''),
      records: kept.length,
      devices: [...bySerial.values()],
      keyIds: [...keyIds],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadBatchProfile(reference: string, expectedHash: string): { loaded?: LoadedProfile; note: string } {
  let loaded: LoadedProfile;
  try {
    loaded = loadProfile(reference);
  } catch (error) {
    const why = error instanceof CredlineError ? error.message : String(error);
    return { note: `profile not included: ${why}. The batch records its hash ${expectedHash}.` };
  }
  if (loaded.hash !== expectedHash) {
    return {
      note:
        `profile not included: ${loaded.source} hashes to ${loaded.hash}, but the batch was provisioned with ` +
        `profile hash ${expectedHash}; supply the exact profile with --profile.`,
    };
  }
  return {
    loaded,
    note: `profile ${loaded.profile.id} revision ${loaded.profile.revision}, hash matches the batch`,
  };
}

/** The audit's rules and their steps as the pack's steps: `auditing: guessable, zxcvbn`. */
function auditSteps(onProgress: StepProgress): AuditProgress {
  let rule = '';
  return {
    stage(name) {
      rule = `auditing: ${name}`;
      onProgress(rule, 0);
    },
    step(step, done, total) {
      onProgress(`${rule}, ${step}`, done, total);
    },
  };
}

/** How the pack's progress names evidence verify's steps. */
const VERIFY_STEPS: Record<string, string> = {
  chain: 'verifying the chain',
  integrity: 'SQLite integrity check',
};

function verifySummary(report: VerifyReport): Record<string, unknown> {
  return {
    ok: report.ok,
    schemaVersion: report.schemaVersion,
    records: report.records,
    head: report.head,
    checkpoints: report.checkpoints,
    unsigned: report.unsigned,
    problems: report.problems,
    truncatedProblems: report.truncatedProblems,
  };
}

/**
 * Builds the pack in memory (files and their bytes); write it with writePackDirectory or writePackZip.
 *
 * @example const pack = await buildEvidencePack({ dbFile: 'line1.db', batchId: 'B-0042' });
 */
export async function buildEvidencePack(request: PackRequest): Promise<EvidencePack> {
  const store = openComplianceStore(request.dbFile, { readonly: request.readonly ?? false });
  try {
    return await buildWithStore(store, request);
  } finally {
    store.close();
  }
}

async function buildWithStore(store: ComplianceStore, request: PackRequest): Promise<EvidencePack> {
  const batch = store.requireBatch(request.batchId);
  const document = await packDocumentOf(store, batch.batchId, {
    statementId: request.statementId,
    restricted: isRestricted(request),
    dbFile: request.dbFile,
  });
  const onProgress = request.onProgress;
  const verify = verifyEvidence(request.dbFile, {
    ...(onProgress
      ? { onProgress: (step, done, total) => onProgress(VERIFY_STEPS[step] ?? step, done, total) }
      : {}),
  });
  if (!verify.ok && !request.markFailures) {
    throw new CredlineError(
      'PACK_VERIFY_FAILED',
      `evidence verify failed for ${request.dbFile} (${verify.problems.length} problem(s); first: ` +
        `${verify.problems[0]?.message ?? 'unknown'}); no pack written. Investigate, or pass --mark-failures to ` +
        'build a pack marked VERIFY FAILED',
      { exitCode: ExitCode.failed },
    );
  }
  const orders = packOrderReports(request.orderReports ?? [], store.evidence, request);
  const events = await exportBatchEvents(request);
  const devices = events.devices;
  const uniqueness = checkFingerprintUniqueness(devices, store.evidence);
  if (uniqueness.devices === 0) {
    throw usageError(
      'PACK_NO_PASS',
      `batch ${batch.batchId} has no PASS results${isRestricted(request) ? ' in the requested range' : ''}: nothing to evidence`,
    );
  }
  const product = store.getProductRecord(document.productId, document.productRevision);
  const profile = loadBatchProfile(request.profile ?? batch.profileId, batch.profileHash);
  let audit: PackAudit | undefined;
  if (request.lineKey) {
    if (!profile.loaded) {
      throw usageError(
        'PACK_PROFILE_NEEDED',
        `re-deriving the batch needs its exact profile: ${profile.note}`,
      );
    }
    audit = await auditRecordedBatch(
      request.lineKey,
      profile.loaded.profile,
      devices,
      {
        manufacturer: product.manufacturers?.[0]?.name,
        brand: product.product?.brand,
        model: product.product?.model,
      },
      onProgress && auditSteps(onProgress),
    );
  }
  const keyIds = events.keyIds;
  const support = batchSupport(store.evidence, batch);
  const retention = listRetention(store).filter(
    (e: RetentionEntry) => e.id === batch.batchId || e.id.endsWith(`(batch ${batch.batchId})`),
  );
  const generatedTime = request.now ?? new Date(store.headRecordedAt());
  const generatedAt = generatedTime.toISOString();

  const files: PackFile[] = [
    ...document.files,
    jsonFile('product-record.json', product),
    { name: 'evidence/events.jsonl', data: events.jsonl },
    jsonFile('evidence/batch.json', {
      ...batch,
      supportPeriodInForce: {
        endDate: support.supportEndDate,
        retentionUntil: support.retentionUntil,
        extendedFrom: support.extended?.from ?? null,
        batchTermsSeq: support.extended?.termsSeq ?? null,
        means:
          "the batch's support period as it stands: the batch record's end, or a later one recorded as an " +
          'extension in a batch-terms record (PSTI Schedule 1 paragraph 3(3)); the batch record is never edited',
      },
      productTypeMeans:
        "the device profile's name for the unit the line provisions (from the batch record), not the product as the " +
        `statement names it: ${document.facts.product.type}`,
    }),
    jsonFile('evidence/verify.json', verifySummary(verify)),
    jsonFile('evidence/chain-head.json', {
      head: verify.head,
      checkpoints: store.evidence.listCheckpoints(),
    }),
    jsonFile('evidence/key-ids.json', {
      keyIds,
      passedDevicesByKey: uniqueness.byKey.map((k) => ({ keyId: k.keyId, devices: k.devices })),
      note: 'line key ids only; a key itself never leaves the station',
    }),
    jsonFile('audit/uniqueness.json', uniqueness),
    ...(audit ? [jsonFile('audit/audit-report.json', audit)] : []),
    jsonFile('retention.json', retention),
    ...orders.files,
  ];
  if (profile.loaded) {
    const source = readFileSync(profile.loaded.source);
    files.push({ name: 'profile/profile.json', data: source });
    files.push(
      jsonFile('profile/profile-as-hashed.json', profileHashInput(JSON.parse(source.toString('utf8')))),
    );
  }
  files.push(...packVerifierFiles(store.evidence, document.sealed));
  files.push(
    jsonFile('profile/profile-hash.json', {
      batchProfileId: batch.profileId,
      batchProfileRevision: batch.profileRevision,
      batchProfileHash: batch.profileHash,
      note: profile.note,
    }),
  );
  const readme = renderPackReadme({
    batch,
    support,
    document: document.facts,
    verifyOk: verify.ok,
    verifyProblems: verify.problems.map((p) => p.message),
    head: verify.head,
    uniqueness,
    profileIncluded: profile.loaded !== undefined,
    profileNote: profile.note,
    keyIds,
    restriction: isRestricted(request) ? restrictionOf(request) : undefined,
    eventRecords: events.records,
    generatedAt,
    audit,
    orderReports: orders.reports,
  });
  files.push(textFile('README.md', readme));
  files.sort((a, b) => (a.name < b.name ? -1 : 1));
  files.push(
    jsonFile('manifest.json', {
      format: 'credline-evidence-pack',
      version: 1,
      batchId: batch.batchId,
      generatedAt,
      verified: verify.ok,
      restricted: isRestricted(request) ? restrictionOf(request) : null,
      ...document.manifest,
      files: files.map((f) => ({ name: f.name, bytes: f.data.length, sha256: sha256Hex(f.data) })),
    }),
  );
  files.push(textFile('SHA256SUMS', files.map((f) => `${sha256Hex(f.data)}  ${f.name}\n`).join('')));
  return {
    files,
    verified: verify.ok,
    uniqueness,
    audit,
    restricted: isRestricted(request),
    generatedAt: generatedTime,
  };
}
