/**
 * JSON Schema (draft-07, checked with ajv) of the product record. Structure and types only: dates are checked
 * for being real dates, and cross-field rules (support period never shortened, Schedule 2 standards that exist)
 * live in product-validate.ts, which also gives the friendlier messages.
 */

import { BUSINESS_ROLES, VEHICLE_CATEGORIES } from './product-record.js';

const nonEmptyString = { type: 'string', minLength: 1, pattern: '\\S' } as const;
const datePattern = '^\\d{4}-\\d{2}-\\d{2}$';
const date = { type: 'string', pattern: datePattern } as const;

const party = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'address'],
  properties: {
    name: nonEmptyString,
    address: { type: 'array', minItems: 1, items: nonEmptyString },
  },
} as const;

const timeSpan = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'unit'],
  properties: {
    value: { type: 'integer', minimum: 1, maximum: 365 },
    unit: { enum: ['hours', 'days', 'working-days'] },
  },
} as const;

const standard = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'dateOfIssue', 'provisions'],
  properties: {
    id: nonEmptyString,
    version: nonEmptyString,
    dateOfIssue: { type: 'string', pattern: '^\\d{4}-\\d{2}(-\\d{2})?$' },
    provisions: { type: 'array', minItems: 1, items: nonEmptyString },
  },
} as const;

const complianceBasis = {
  type: 'object',
  required: ['basis'],
  properties: { basis: { enum: ['schedule-1', 'schedule-2', 'recognised-label'] } },
  if: { properties: { basis: { const: 'schedule-2' } } },
  then: {
    additionalProperties: false,
    required: ['basis', 'standards'],
    properties: { basis: true, standards: { type: 'array', minItems: 1, items: standard } },
  },
  else: { additionalProperties: false, properties: { basis: true } },
} as const;

const yesNo = { type: 'boolean' } as const;

const scopeNote = {
  type: 'object',
  additionalProperties: false,
  required: ['answers', 'decidedBy', 'decidedOn'],
  properties: {
    answers: {
      type: 'object',
      additionalProperties: false,
      required: [
        'relevantConnectableProduct',
        'northernIreland',
        'smartChargePoint',
        'medicalDevice',
        'smartMeter',
        'computer',
      ],
      properties: {
        relevantConnectableProduct: yesNo,
        northernIreland: {
          type: 'object',
          additionalProperties: false,
          required: [
            'windsorFrameworkLegislationApplies',
            'madeAvailableForSupplyInNorthernIreland',
            'madeAvailableForSupplyInGreatBritain',
          ],
          properties: {
            windsorFrameworkLegislationApplies: yesNo,
            madeAvailableForSupplyInNorthernIreland: yesNo,
            madeAvailableForSupplyInGreatBritain: yesNo,
          },
        },
        smartChargePoint: yesNo,
        medicalDevice: {
          type: 'object',
          additionalProperties: false,
          required: [
            'productWithinMedicalDevicesRegulations2002',
            'medicalDeviceSoftwareInstalledOrOperable',
          ],
          properties: {
            productWithinMedicalDevicesRegulations2002: yesNo,
            medicalDeviceSoftwareInstalledOrOperable: yesNo,
          },
        },
        smartMeter: {
          type: 'object',
          additionalProperties: false,
          required: ['suppliedOrInstalledByLicenceHolder', 'assuredUnderNcscScheme'],
          properties: { suppliedOrInstalledByLicenceHolder: yesNo, assuredUnderNcscScheme: yesNo },
        },
        computer: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'designedExclusivelyForChildrenUnder14'],
          properties: {
            kind: { enum: ['none', 'desktop', 'laptop', 'tablet-without-cellular', 'tablet-with-cellular'] },
            designedExclusivelyForChildrenUnder14: yesNo,
          },
        },
        vehicle: {
          type: 'object',
          additionalProperties: false,
          required: ['category'],
          properties: { category: { enum: [...VEHICLE_CATEGORIES] } },
        },
      },
    },
    decidedBy: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'function'],
      properties: { name: nonEmptyString, function: nonEmptyString },
    },
    decidedOn: date,
    notes: { type: 'string' },
  },
} as const;

const recognisedLabel = {
  type: 'object',
  additionalProperties: false,
  required: ['scheme', 'level', 'number', 'issuedOn', 'expiresOn', 'specification'],
  properties: {
    scheme: { enum: ['jc-star', 'sg-cls'] },
    level: nonEmptyString,
    number: nonEmptyString,
    issuedOn: date,
    expiresOn: date,
    specification: nonEmptyString,
  },
} as const;

const dutyOwner = {
  type: 'object',
  additionalProperties: false,
  required: ['owner', 'escalation'],
  properties: { owner: nonEmptyString, escalation: nonEmptyString },
} as const;

export const PRODUCT_RECORD_SCHEMA = {
  $id: 'https://github.com/credline/credline/schemas/product-record-v1.json',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'schemaVersion', 'id', 'revision'],
  properties: {
    $schema: { type: 'string' },
    format: { const: 'credline-product-record' },
    schemaVersion: { const: 1 },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    revision: { type: 'integer', minimum: 1 },
    example: { type: 'boolean' },
    product: {
      type: 'object',
      additionalProperties: false,
      properties: { brand: nonEmptyString, model: nonEmptyString, type: nonEmptyString },
    },
    manufacturers: { type: 'array', items: party },
    authorisedRepresentatives: { type: 'array', items: party },
    ukImporter: party,
    supportPeriod: {
      type: 'object',
      additionalProperties: false,
      required: ['endDate'],
      properties: {
        endDate: date,
        publishedOn: date,
        atFirstSupply: {
          type: 'object',
          additionalProperties: false,
          required: ['endDate'],
          properties: { endDate: date, firstSuppliedOn: date },
        },
      },
    },
    securityIssueReporting: {
      type: 'object',
      additionalProperties: false,
      required: ['contact', 'acknowledgementWithin', 'statusUpdatesEvery'],
      properties: {
        contact: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' },
            url: { type: 'string', pattern: '^https://\\S+$' },
            telephone: { type: 'string', pattern: '^\\+?[0-9 ()-]{6,}$' },
          },
        },
        acknowledgementWithin: timeSpan,
        statusUpdatesEvery: timeSpan,
        policyUrl: { type: 'string', pattern: '^https://\\S+$' },
        handledBy: nonEmptyString,
      },
    },
    complianceBasis: {
      type: 'object',
      additionalProperties: false,
      properties: {
        passwords: complianceBasis,
        securityIssueReporting: complianceBasis,
        supportPeriodInformation: complianceBasis,
      },
    },
    scope: scopeNote,
    recognisedLabel,
    roles: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...BUSINESS_ROLES] } },
    dutyOwners: { type: 'object', additionalProperties: dutyOwner },
  },
} as const;
