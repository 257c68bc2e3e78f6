/**
 * Which text of SI 2023/1007 applies on a date: the Regulations as made, or as amended by the two 2025 amending
 * instruments. Their official text is not reachable from here; they are cited by instrument and by the provisions
 * the project's summary names (docs/compliance.md lists what was checked against it and what is still to check
 * against legislation.gov.uk).
 */

export interface AmendingInstrument {
  /** e.g. `S.I. 2025/211`. */
  instrument: string;
  title: string;
  /** First day in force, `YYYY-MM-DD`. */
  inForce: string;
  /** What it changed, in a line. */
  changes: string;
}

/** S.I. 2025/211: GB vehicle exceptions; clarified information on the minimum security update period. */
export const SI_2025_211: AmendingInstrument = {
  instrument: 'S.I. 2025/211',
  title:
    'The Product Security and Telecommunications Infrastructure (Security Requirements for Relevant Connectable ' +
    'Products) (Amendment) Regulations 2025',
  inForce: '2025-02-25',
  changes:
    'vehicles excepted in Great Britain (Schedule 3); clarified information on the minimum security update ' +
    'period (Schedule 1 paragraph 3)',
};

/** S.I. 2025/1267: JC-STAR STAR-1 and Singapore CLS labels (Schedule 2 Conditions B and C; regulation 4A, Schedule 2A). */
export const SI_2025_1267: AmendingInstrument = {
  instrument: 'S.I. 2025/1267',
  title:
    'The Product Security and Telecommunications Infrastructure (Security Requirements for Relevant Connectable ' +
    'Products) (Amendment) (No. 2) Regulations 2025',
  inForce: '2025-12-04',
  changes:
    'a current JC-STAR STAR-1 or Singapore CLS label meets each security requirement (Schedule 2 Conditions B ' +
    'and C) and the statement-of-compliance duty (regulation 4A, Schedule 2A)',
};

export const AMENDING_INSTRUMENTS: readonly AmendingInstrument[] = [SI_2025_211, SI_2025_1267];

/** True when `instrument` was in force on `date` (`YYYY-MM-DD`). */
export function inForceOn(instrument: AmendingInstrument, date: string): boolean {
  return date >= instrument.inForce;
}

/**
 * The text of the Regulations in force on `date`, in words: what a document produced for that date was produced
 * under.
 *
 * @example regulationsTextOn('2026-01-05') // 'SI 2023/1007 as amended by S.I. 2025/211 and S.I. 2025/1267'
 */
export function regulationsTextOn(date: string): string {
  const amended = AMENDING_INSTRUMENTS.filter((i) => inForceOn(i, date)).map((i) => i.instrument);
  return amended.length === 0
    ? 'SI 2023/1007 as made'
    : `SI 2023/1007 as amended by ${amended.join(' and ')}`;
}

/** What a document that does not say which text it was produced under was produced under. */
export const REGULATIONS_AS_MADE = 'SI 2023/1007 as made';
