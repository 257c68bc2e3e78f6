/**
 * The product record: per product type, what the statement of compliance and the customer notices need and the
 * line does not know. JSON on disk (`credline product init` writes one), validated by `validateProductRecord`.
 * Fields a statement needs are optional here so that a half-filled record still loads; `soc issue` then names
 * every missing one.
 */

import type { RecognisedLabel } from './recognised-labels.js';

export const PRODUCT_RECORD_FORMAT = 'credline-product-record';
export const PRODUCT_RECORD_SCHEMA_VERSION = 1;

/** A name with a postal address (one line per element). */
export interface Party {
  name: string;
  address: string[];
}

/** A published standard, as Schedule 4 para 1(2) requires it be identified. */
export interface StandardReference {
  /** Identification number, e.g. `ETSI EN 303 645` or `ISO/IEC 29147`. */
  id: string;
  /** e.g. `V2.1.1` or `2018` (2nd edition). */
  version: string;
  /** Date of issue: `YYYY-MM` or `YYYY-MM-DD`. */
  dateOfIssue: string;
  /** The provisions or paragraphs relied on, e.g. `5.1-1`. */
  provisions: string[];
}

/** The three Schedule 1 requirements, by paragraph. */
export const SCHEDULE_1_REQUIREMENTS = [
  'passwords',
  'securityIssueReporting',
  'supportPeriodInformation',
] as const;
export type Schedule1Requirement = (typeof SCHEDULE_1_REQUIREMENTS)[number];

export const SCHEDULE_1_PARAGRAPH: Record<Schedule1Requirement, { paragraph: number; title: string }> = {
  passwords: { paragraph: 1, title: 'Passwords' },
  securityIssueReporting: { paragraph: 2, title: 'Information on how to report security issues' },
  supportPeriodInformation: { paragraph: 3, title: 'Information on minimum security update periods' },
};

/**
 * How the manufacturer meets one Schedule 1 requirement: directly, by deemed compliance under Schedule 2 Condition A
 * (standards), or under Condition B or C by the record's `recognisedLabel` (S.I. 2025/1267).
 */
export type ComplianceBasis =
  | { basis: 'schedule-1' }
  | { basis: 'schedule-2'; standards: StandardReference[] }
  | { basis: 'recognised-label' };

export type TimeUnit = 'hours' | 'days' | 'working-days';

export interface TimeSpan {
  value: number;
  unit: TimeUnit;
}

/** Schedule 1 para 2: where to report security issues and when the reporter hears back. */
export interface SecurityIssueReporting {
  contact: { email?: string; url?: string; telephone?: string };
  acknowledgementWithin: TimeSpan;
  statusUpdatesEvery: TimeSpan;
  /** The manufacturer's vulnerability disclosure policy, if published (security.txt `Policy`). */
  policyUrl?: string;
  /** Who answers the contact (e.g. the importer), when the notice should name them. */
  handledBy?: string;
}

/**
 * The defined support period (regulation 2: "expressed as a period of time with an end date"). `endDate` is the
 * current one; `atFirstSupply` keeps the one that was correct when the product was first supplied (Schedule 4
 * para 1(e)) once it has been extended.
 */
export interface SupportPeriod {
  endDate: string;
  /** When this end date was first published. */
  publishedOn?: string;
  atFirstSupply?: { endDate: string; firstSuppliedOn?: string };
}

/** The vehicle categories S.I. 2025/211 excepts in Great Britain (Schedule 3 as amended). */
export const VEHICLE_CATEGORIES = [
  'none',
  'motor-vehicle',
  'two-or-three-wheel-vehicle-or-quadricycle',
  'agricultural-or-forestry-vehicle',
] as const;
export type VehicleCategory = (typeof VEHICLE_CATEGORIES)[number];

export type ComputerKind = 'none' | 'desktop' | 'laptop' | 'tablet-without-cellular' | 'tablet-with-cellular';

/** The answers behind a scope note (section 4 of the Act, Schedule 3 to the Regulations). */
export interface ScopeAnswers {
  relevantConnectableProduct: boolean;
  northernIreland: {
    windsorFrameworkLegislationApplies: boolean;
    madeAvailableForSupplyInNorthernIreland: boolean;
    madeAvailableForSupplyInGreatBritain: boolean;
  };
  smartChargePoint: boolean;
  medicalDevice: {
    productWithinMedicalDevicesRegulations2002: boolean;
    medicalDeviceSoftwareInstalledOrOperable: boolean;
  };
  smartMeter: { suppliedOrInstalledByLicenceHolder: boolean; assuredUnderNcscScheme: boolean };
  computer: { kind: ComputerKind; designedExclusivelyForChildrenUnder14: boolean };
  /** Asked since S.I. 2025/211; absent in scope notes recorded before it. */
  vehicle?: { category: VehicleCategory };
}

export interface ScopeNote {
  answers: ScopeAnswers;
  decidedBy: { name: string; function: string };
  decidedOn: string;
  notes?: string;
}

/** The business's role(s) for the product (sections 8 to 24 of the Act give each its duties). */
export const BUSINESS_ROLES = ['manufacturer', 'importer', 'distributor'] as const;
export type BusinessRole = (typeof BUSINESS_ROLES)[number];

/** Who does a duty, and who hears about it when it is missing. */
export interface DutyOwner {
  /** A person or team. */
  owner: string;
  /** Where a missing or failing duty is escalated. */
  escalation: string;
}

export interface ProductRecord {
  $schema?: string;
  format: typeof PRODUCT_RECORD_FORMAT;
  schemaVersion: typeof PRODUCT_RECORD_SCHEMA_VERSION;
  /** Product record id, `[a-z0-9][a-z0-9._-]{0,63}` (like a profile id). */
  id: string;
  /** Starts at 1; every change is a new revision. */
  revision: number;
  /** True for demonstration data: every document rendered from it says EXAMPLE. */
  example?: boolean;
  product?: { brand?: string; model?: string; type?: string };
  manufacturers?: Party[];
  /** Schedule 4 para 1(b) "where applicable": an empty list means none. */
  authorisedRepresentatives?: Party[];
  ukImporter?: Party;
  supportPeriod?: SupportPeriod;
  securityIssueReporting?: SecurityIssueReporting;
  complianceBasis?: Partial<Record<Schedule1Requirement, ComplianceBasis>>;
  scope?: ScopeNote;
  /** A JC-STAR STAR-1 or Singapore CLS label the product holds (S.I. 2025/1267). */
  recognisedLabel?: RecognisedLabel;
  /** The business's role(s) for this product; `credline duties` lists the duties of each. */
  roles?: BusinessRole[];
  /** Per duty id (`credline duties` lists them): owner and escalation point. `default` covers the rest. */
  dutyOwners?: Record<string, DutyOwner>;
}
