/**
 * Each duty of the business's role(s) for a product, with its state computed from named evidence rows: `met` when
 * the rows the duty needs are there, `missing` when its trigger has happened and they are not, `due` when the
 * trigger has not happened yet. Pure: the rows are gathered from the evidence database by duty-evidence.ts.
 */
import { DUTIES, dutiesOfRoles, dutyOwnerOf, type Duty } from './duty-catalogue.js';
import type { BusinessRole, DutyOwner, ProductRecord } from './product-record.js';

/** One evidence row a duty relies on: what it is, and the chain seq of its seal (null before seals). */
export interface EvidenceRow {
  seq: number | null;
  what: string;
}

export interface DutyEvidence {
  /** Stored revisions of the product, oldest first. */
  revisions: (EvidenceRow & { revision: number; record: ProductRecord })[];
  /**
   * Batches of the product (linked, statemented, audited or checked), with their first PASS when provisioned here,
   * and a support period extended in their batch terms (the batch-terms record's seq) after they were opened.
   */
  batches: { batchId: string; firstPassAt?: string; supportExtension?: EvidenceRow & { endDate: string } }[];
  statements: (EvidenceRow & { id: number; batchId: string; intact: boolean; retainUntil: string })[];
  labelRoutes: (EvidenceRow & { id: number; batchId: string })[];
  audits: (EvidenceRow & { id: number; batchId: string; passed: boolean })[];
  supplierChecks: (EvidenceRow & {
    id: number;
    batchId: string;
    complete: boolean;
    /** SHA-256 of the supplier's statement bytes kept in the store. */
    documentSha256: string | null;
  })[];
}

export type DutyStateName = 'met' | 'missing' | 'due';

export interface DutyState {
  duty: Duty;
  state: DutyStateName;
  /** Why, in a line. */
  detail: string;
  evidence: EvidenceRow[];
  owner?: DutyOwner;
}

/** The duties of the record's roles (manufacturer when it names none), each with its state. */
export function assessDuties(record: ProductRecord, evidence: DutyEvidence): DutyState[] {
  const roles: readonly BusinessRole[] = record.roles ?? ['manufacturer'];
  return dutiesOfRoles(roles).map((duty) => {
    const owner = dutyOwnerOf(record, duty.id);
    return { duty, ...RULES[duty.id](evidence), ...(owner ? { owner } : {}) };
  });
}

type Rule = (e: DutyEvidence) => Omit<DutyState, 'duty' | 'owner'>;

/** Met when every batch has a row `covers` accepts; missing names the batches without one; due with no batch. */
function perBatch(
  e: DutyEvidence,
  rows: readonly (EvidenceRow & { batchId: string })[],
  needed: string,
): Omit<DutyState, 'duty' | 'owner'> {
  if (e.batches.length === 0) {
    return {
      state: 'due',
      detail: `no batch yet: ${needed} for each batch before it is made available`,
      evidence: [],
    };
  }
  const without = e.batches.filter((b) => !rows.some((r) => r.batchId === b.batchId)).map((b) => b.batchId);
  const used = rows.filter((r) => e.batches.some((b) => b.batchId === r.batchId));
  if (without.length > 0) {
    return { state: 'missing', detail: `no ${needed} for batch ${without.join(', ')}`, evidence: used };
  }
  return { state: 'met', detail: `${needed} for each of ${e.batches.length} batch(es)`, evidence: used };
}

function latest(e: DutyEvidence): DutyEvidence['revisions'][number] | undefined {
  return e.revisions[e.revisions.length - 1];
}

const RULES: Record<Duty['id'], Rule> = {
  'statement-issued': (e) =>
    perBatch(e, [...e.statements, ...e.labelRoutes], 'statement of compliance or label route'),
  'batch-audited': (e) =>
    perBatch(
      e,
      e.audits.filter((a) => a.passed),
      'passed batch audit',
    ),
  'support-period-published': (e) => {
    const revision = latest(e);
    const support = revision?.record.supportPeriod;
    if (!revision || !support) {
      return e.batches.length === 0
        ? {
            state: 'due',
            detail: 'no support period recorded yet; publish it before first supply',
            evidence: [],
          }
        : { state: 'missing', detail: 'no stored revision gives $.supportPeriod', evidence: [] };
    }
    if (!support.publishedOn) {
      return {
        state: e.batches.length === 0 ? 'due' : 'missing',
        detail: `revision ${revision.revision} gives no $.supportPeriod.publishedOn: publish it (credline notice) and record the date`,
        evidence: [revision],
      };
    }
    const unpublished = e.batches.flatMap((b) =>
      b.supportExtension && b.supportExtension.endDate > support.endDate ? [b.supportExtension] : [],
    );
    if (unpublished.length > 0) {
      return {
        state: 'missing',
        detail:
          `${unpublished.map((x) => x.what).join('; ')}: later than the ${support.endDate} published in revision ` +
          `${revision.revision}; publish the extended period (credline notice) and record it in a new revision`,
        evidence: [revision, ...unpublished],
      };
    }
    return {
      state: 'met',
      detail: `ends ${support.endDate}, published ${support.publishedOn} (revision ${revision.revision})`,
      evidence: [revision],
    };
  },
  'reporting-contact-published': (e) => {
    const revision = latest(e);
    if (!revision?.record.securityIssueReporting) {
      return {
        state: e.batches.length === 0 ? 'due' : 'missing',
        detail: 'no stored revision gives $.securityIssueReporting',
        evidence: revision ? [revision] : [],
      };
    }
    return { state: 'met', detail: `given in revision ${revision.revision}`, evidence: [revision] };
  },
  'statement-retained': (e) => {
    const kept = [...e.statements, ...e.labelRoutes];
    if (kept.length === 0) return { state: 'due', detail: 'nothing issued yet to keep', evidence: [] };
    const altered = e.statements.filter((s) => !s.intact);
    if (altered.length > 0) {
      return {
        state: 'missing',
        detail: `statement ${altered.map((s) => s.id).join(', ')} no longer matches its content hash`,
        evidence: kept,
      };
    }
    return { state: 'met', detail: `${kept.length} record(s) held unaltered`, evidence: kept };
  },
  'supplier-statement-checked': (e) =>
    perBatch(
      e,
      e.supplierChecks.filter((c) => c.complete),
      'supplier statement check without gaps',
    ),
  'supplier-batch-audited': (e) =>
    perBatch(
      e,
      e.audits.filter((a) => a.passed),
      'passed supplier batch audit',
    ),
  'supplier-statement-kept': (e) =>
    perBatch(
      e,
      e.supplierChecks.filter((c) => c.complete && c.documentSha256 !== null),
      "kept copy of the supplier's statement",
    ),
  'statement-accompanies': (e) =>
    perBatch(
      e,
      [...e.supplierChecks.filter((c) => c.complete), ...e.statements, ...e.labelRoutes],
      'statement or label evidence to accompany the product',
    ),
};

/** True when any duty is missing: `credline duties` then exits 1. */
export function anyMissing(states: readonly DutyState[]): boolean {
  return states.some((s) => s.state === 'missing');
}

export { DUTIES };
