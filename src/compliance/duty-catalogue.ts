/**
 * The duties around the statement of compliance, by the business's role for the product: what triggers each, what
 * it requires, and which evidence credline holds for it. `credline duties` computes each one's state from that
 * evidence (duties.ts); the product record names each duty's owner and escalation point (`$.dutyOwners`).
 */
import type { BusinessRole, DutyOwner, ProductRecord } from './product-record.js';

export const DUTY_IDS = [
  'statement-issued',
  'batch-audited',
  'support-period-published',
  'reporting-contact-published',
  'statement-retained',
  'supplier-statement-checked',
  'supplier-batch-audited',
  'supplier-statement-kept',
  'statement-accompanies',
] as const;
export type DutyId = (typeof DUTY_IDS)[number];

export interface Duty {
  id: DutyId;
  roles: readonly BusinessRole[];
  /** Where the duty comes from. */
  law: string;
  trigger: string;
  action: string;
  /** The rows credline holds as evidence for it, in words. */
  evidence: string;
}

export const DUTIES: readonly Duty[] = [
  {
    id: 'statement-issued',
    roles: ['manufacturer'],
    law: 'Act section 9; regulation 7 and Schedule 4 (or regulation 4A and Schedule 2A for a current label)',
    trigger: 'each batch with PASS units, before it is made available',
    action:
      'issue a statement of compliance for the batch, or record the current recognised label it relies on',
    evidence: 'issued statements and label-route records of each batch of the product',
  },
  {
    id: 'batch-audited',
    roles: ['manufacturer'],
    law: 'Schedule 1 paragraph 1 (passwords unique per product, not guessable)',
    trigger: 'each batch with PASS units',
    action:
      "audit the batch's passwords against every paragraph 1 rule (credline audit --format json, then credline batch-audit)",
    evidence: 'batch audit records of each batch of the product',
  },
  {
    id: 'support-period-published',
    roles: ['manufacturer'],
    law: 'Schedule 1 paragraph 3(2) to (6)',
    trigger: 'before the product is first supplied; again as soon as practicable after an extension',
    action: 'publish the defined support period (credline notice) and never shorten it',
    evidence: 'a stored product record revision giving $.supportPeriod.endDate and publishedOn',
  },
  {
    id: 'reporting-contact-published',
    roles: ['manufacturer'],
    law: 'Schedule 1 paragraph 2',
    trigger: 'before the product is first supplied',
    action:
      'publish how to report security issues and when reporters hear back (credline notice --security-txt)',
    evidence: 'a stored product record revision giving $.securityIssueReporting',
  },
  {
    id: 'statement-retained',
    roles: ['manufacturer'],
    law: 'regulation 8',
    trigger: 'each statement issued',
    action: 'keep a copy for the longer of 10 years and the defined support period',
    evidence: 'issued statements held unaltered (content hash re-checked), each with its retain-until date',
  },
  {
    id: 'supplier-statement-checked',
    roles: ['importer', 'distributor'],
    law: 'Act sections 15 and 16 (importer), 21 and 22 (distributor)',
    trigger: 'each supplier batch, before it is made available in the UK',
    action:
      "check the supplier's statement of compliance, or its recognised label (credline soc check --record)",
    evidence: 'supplier statement checks recorded for the product, with no gaps',
  },
  {
    id: 'supplier-batch-audited',
    roles: ['importer'],
    law: 'Act section 15 (importer must not make available a product it knows or believes does not conform)',
    trigger: 'each supplier batch, before it is placed on the market',
    action:
      "audit the supplier's password batch (credline audit --format json, then credline batch-audit --role importer)",
    evidence: 'batch audit records linked to the product, passed',
  },
  {
    id: 'supplier-statement-kept',
    roles: ['importer'],
    law: 'regulation 9',
    trigger: 'each supplier statement relied on',
    action:
      "keep a copy of the supplier's statement for the longer of 10 years and the defined support period",
    evidence:
      "the supplier statement's bytes held in the evidence store with their SHA-256 and retain-until date",
  },
  {
    id: 'statement-accompanies',
    roles: ['distributor'],
    law: 'Act section 21 (distributor must not make available a product not accompanied by a statement)',
    trigger: 'each batch made available',
    action: 'make sure the statement of compliance (or the label) accompanies the product',
    evidence: 'a supplier statement check or issued statement for the product',
  },
];

/** The duties of the given roles, in catalogue order. */
export function dutiesOfRoles(roles: readonly BusinessRole[]): Duty[] {
  return DUTIES.filter((duty) => duty.roles.some((role) => roles.includes(role)));
}

/** The owner and escalation point the record names for a duty (or its `default`), if any. */
export function dutyOwnerOf(record: ProductRecord, id: DutyId): DutyOwner | undefined {
  return record.dutyOwners?.[id] ?? record.dutyOwners?.['default'];
}

/**
 * The duty a batch audit answers for this record: an importer's audit of a supplier's batch, or the manufacturer's
 * audit of its own (always its own when the passwords were derived with the line key).
 *
 * @example auditDutyOf({ ...record, roles: ['importer'] }, { derived: false }) // 'supplier-batch-audited'
 */
export function auditDutyOf(record: ProductRecord, audit: { derived: boolean }): DutyId {
  const roles = record.roles ?? ['manufacturer'];
  return !audit.derived && roles.includes('importer') && !roles.includes('manufacturer')
    ? 'supplier-batch-audited'
    : 'batch-audited';
}
