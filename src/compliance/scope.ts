/**
 * The product-scope note: is the product a relevant connectable product (section 4 of the Act), and is it excepted
 * under Schedule 3 to the Regulations? credline applies the recorded answers to the Schedule 3 text; the
 * answers themselves, and who gave them, are the manufacturer's.
 */
import { formatLongDate } from './calendar-date.js';
import type { ScopeAnswers, ScopeNote, VehicleCategory } from './product-record.js';
import { SI_2025_211, regulationsTextOn } from './regulations-text.js';

/** The vehicle exception S.I. 2025/211 adds to Schedule 3 (check the paragraph number against the instrument). */
export const VEHICLE_EXCEPTION = `Schedule 3 vehicle exception (${SI_2025_211.instrument})`;

const VEHICLE_DESCRIPTIONS: Record<Exclude<VehicleCategory, 'none'>, string> = {
  'motor-vehicle': 'a motor vehicle (type-approval category)',
  'two-or-three-wheel-vehicle-or-quadricycle': 'a two- or three-wheel vehicle or quadricycle',
  'agricultural-or-forestry-vehicle': 'an agricultural or forestry vehicle',
};

export interface ScopeFinding {
  /** e.g. `Schedule 3 paragraph 5(2)`. */
  paragraph: string;
  /** What the answers mean under that paragraph. */
  finding: string;
  /** True when this paragraph makes the product excepted. */
  excepts: boolean;
}

export interface ScopeAssessment {
  /** `in-scope`: a statement of compliance is required; otherwise no statement is issued. */
  outcome: 'in-scope' | 'not-relevant-connectable-product' | 'excepted';
  /** The paragraph the outcome relies on (the first that excepts, if any). */
  reliedOn: string;
  findings: ScopeFinding[];
}

/** Applies Schedule 3 paragraphs 1–5, and the vehicle exception of S.I. 2025/211, to the recorded answers. */
export function assessScope(answers: ScopeAnswers): ScopeAssessment {
  const findings = [
    northernIrelandFinding(answers),
    chargePointFinding(answers),
    medicalDeviceFinding(answers),
    smartMeterFinding(answers),
    computerFinding(answers),
    vehicleFinding(answers),
  ];
  if (!answers.relevantConnectableProduct) {
    return {
      outcome: 'not-relevant-connectable-product',
      reliedOn: 'section 4 of the Act',
      findings: [
        {
          paragraph: 'section 4 of the Act',
          finding: 'recorded as not a relevant connectable product',
          excepts: false,
        },
        ...findings,
      ],
    };
  }
  const excepting = findings.find((f) => f.excepts);
  return excepting
    ? { outcome: 'excepted', reliedOn: excepting.paragraph, findings }
    : { outcome: 'in-scope', reliedOn: 'section 4 of the Act; no Schedule 3 exception applies', findings };
}

function northernIrelandFinding(a: ScopeAnswers): ScopeFinding {
  const ni = a.northernIreland;
  const paragraph = 'Schedule 3 paragraph 1';
  if (!ni.madeAvailableForSupplyInNorthernIreland || !ni.windsorFrameworkLegislationApplies) {
    return {
      paragraph,
      finding: ni.madeAvailableForSupplyInNorthernIreland
        ? 'no legislation listed in Annex 2 to the Windsor Framework with a free movement article applies: not excepted'
        : 'not made available for supply in Northern Ireland: not excepted',
      excepts: false,
    };
  }
  if (ni.madeAvailableForSupplyInGreatBritain) {
    return {
      paragraph,
      finding:
        'excepted only as made available for supply in Northern Ireland; the same product made available in ' +
        'Great Britain is not covered by paragraph 1, so a statement is still required for that supply',
      excepts: false,
    };
  }
  return {
    paragraph,
    finding:
      'Windsor Framework Annex 2 legislation with a free movement article applies and the product is made ' +
      'available for supply in Northern Ireland only: excepted',
    excepts: true,
  };
}

function chargePointFinding(a: ScopeAnswers): ScopeFinding {
  return {
    paragraph: 'Schedule 3 paragraph 2',
    finding: a.smartChargePoint
      ? 'a charge point to which the Electric Vehicles (Smart Charge Points) Regulations 2021 apply: excepted'
      : 'not a smart charge point under the 2021 Regulations: not excepted',
    excepts: a.smartChargePoint,
  };
}

function medicalDeviceFinding(a: ScopeAnswers): ScopeFinding {
  const md = a.medicalDevice;
  if (md.productWithinMedicalDevicesRegulations2002) {
    return {
      paragraph: 'Schedule 3 paragraph 3(1)',
      finding:
        'the Medical Devices Regulations 2002 apply to the product itself: excepted' +
        (md.medicalDeviceSoftwareInstalledOrOperable
          ? ' (the exception rests on the product being a medical device, not on the medical-device software it runs: paragraph 3(2))'
          : ''),
      excepts: true,
    };
  }
  return {
    paragraph: md.medicalDeviceSoftwareInstalledOrOperable
      ? 'Schedule 3 paragraph 3(2)'
      : 'Schedule 3 paragraph 3',
    finding: md.medicalDeviceSoftwareInstalledOrOperable
      ? 'medical-device software is installed or operable on it, but the product itself is not a medical ' +
        'device: paragraph 3(2) says such a product is not excepted'
      : 'not a product to which the Medical Devices Regulations 2002 apply: not excepted',
    excepts: false,
  };
}

function smartMeterFinding(a: ScopeAnswers): ScopeFinding {
  const sm = a.smartMeter;
  const excepts = sm.suppliedOrInstalledByLicenceHolder && sm.assuredUnderNcscScheme;
  let finding: string;
  if (excepts) {
    finding =
      'supplied or installed by a gas or electricity licence holder and assured under the NCSC commercial ' +
      'product assurance scheme: excepted';
  } else if (sm.suppliedOrInstalledByLicenceHolder || sm.assuredUnderNcscScheme) {
    finding = 'only one of the two conditions of paragraph 4(1)(a) and (b) holds: not excepted';
  } else {
    finding = 'not an assured smart meter product: not excepted';
  }
  return { paragraph: 'Schedule 3 paragraph 4', finding, excepts };
}

function computerFinding(a: ScopeAnswers): ScopeFinding {
  const { kind, designedExclusivelyForChildrenUnder14: forChildren } = a.computer;
  const exceptedKinds: Record<string, string> = {
    desktop: 'a desktop computer (paragraph 5(1)(a))',
    laptop: 'a laptop computer (paragraph 5(1)(b))',
    'tablet-without-cellular': 'a tablet computer without cellular capability (paragraph 5(1)(c))',
  };
  const described = exceptedKinds[kind];
  if (!described) {
    return {
      paragraph: 'Schedule 3 paragraph 5',
      finding:
        kind === 'tablet-with-cellular'
          ? 'a tablet computer that can connect to cellular networks: not excepted'
          : 'not a desktop, laptop or tablet computer: not excepted',
      excepts: false,
    };
  }
  if (forChildren) {
    return {
      paragraph: 'Schedule 3 paragraph 5(2)',
      finding: `${described}, but designed exclusively for children under 14 according to the manufacturer's intended purpose: not excepted`,
      excepts: false,
    };
  }
  return { paragraph: 'Schedule 3 paragraph 5(1)', finding: `${described}: excepted`, excepts: true };
}

function vehicleFinding(a: ScopeAnswers): ScopeFinding {
  if (!a.vehicle) {
    return {
      paragraph: VEHICLE_EXCEPTION,
      finding:
        'not asked: this scope note was recorded without the vehicle question; answer it to apply the amendment',
      excepts: false,
    };
  }
  const { category } = a.vehicle;
  if (category === 'none') {
    return {
      paragraph: VEHICLE_EXCEPTION,
      finding: 'not a vehicle in the excepted categories: not excepted',
      excepts: false,
    };
  }
  return {
    paragraph: VEHICLE_EXCEPTION,
    finding: `${VEHICLE_DESCRIPTIONS[category]}: excepted`,
    excepts: true,
  };
}

/**
 * The scope note as plain text: the outcome, the paragraph relied on, each answer's finding, who decided and when.
 */
export function renderScopeNote(productName: string, note: ScopeNote): string {
  const assessment = assessScope(note.answers);
  const outcome = {
    'in-scope':
      'IN SCOPE: a relevant connectable product, not excepted. A statement of compliance is required.',
    'not-relevant-connectable-product':
      'OUT OF SCOPE: recorded as not a relevant connectable product. No statement of compliance is issued.',
    excepted: `EXCEPTED under ${assessment.reliedOn}. No statement of compliance is issued for this product.`,
  }[assessment.outcome];
  const lines = [
    `Product-scope note: ${productName}`,
    '',
    outcome,
    `Relied on: ${assessment.reliedOn}`,
    '',
    `Findings (Product Security and Telecommunications Infrastructure Act 2022 section 4; ${regulationsTextOn(note.decidedOn)}, Schedule 3):`,
    ...assessment.findings.map((f) => `  - ${f.paragraph}: ${f.finding}`),
    '',
    `Decided by: ${note.decidedBy.name}, ${note.decidedBy.function}, on ${formatLongDate(note.decidedOn)}`,
    `Produced under: ${regulationsTextOn(note.decidedOn)} (the text in force on the day decided)`,
  ];
  if (note.notes) lines.push(`Notes: ${note.notes}`);
  lines.push(
    '',
    'credline applies the recorded answers to the text of Schedule 3; the answers are the manufacturer’s own.',
  );
  return `${lines.join('\n')}\n`;
}
