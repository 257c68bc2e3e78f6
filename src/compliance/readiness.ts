/**
 * Whether a statement of compliance can be issued from a product record today, and if not, why: one answer for
 * `product validate` that agrees with what `soc issue` does (an excepted product gets no statement; a product with a
 * current recognised label takes the label route).
 */
import { SCHEDULE_1_REQUIREMENTS, type ProductRecord } from './product-record.js';
import { describeLabel, LABEL_ROUTE_CITATION, labelNotCurrentOn } from './recognised-labels.js';
import { assessScope } from './scope.js';
import { complianceBasisOf, labelRouteOpen, listMissingRecordFields } from './statement.js';

export interface Readiness {
  state: 'ready' | 'label-route' | 'excepted' | 'not-relevant' | 'not-ready';
  /** One line saying what `soc issue` will do. */
  summary: string;
  /** What is missing when `not-ready`. */
  missing: string[];
}

/** @example assessReadiness(record, '2026-12-03').summary // 'ready: a statement of compliance can be issued from it' */
export function assessReadiness(record: ProductRecord, today: string): Readiness {
  if (record.scope) {
    const assessment = assessScope(record.scope.answers);
    if (assessment.outcome === 'excepted') {
      return {
        state: 'excepted',
        summary: `excepted under ${assessment.reliedOn}: no statement of compliance is issued for it`,
        missing: [],
      };
    }
    if (assessment.outcome === 'not-relevant-connectable-product') {
      return {
        state: 'not-relevant',
        summary: 'recorded as not a relevant connectable product (section 4 of the Act): no statement',
        missing: [],
      };
    }
  }
  const missing = listMissingRecordFields(record);
  if (!record.scope) missing.push('scope note ($.scope): credline product scope');
  const end = record.supportPeriod?.endDate;
  if (end !== undefined && end < today) {
    missing.push(
      `1(e) the defined support period ended on ${end}: extend it ($.supportPeriod.endDate) to issue statements`,
    );
  }
  const label = record.recognisedLabel;
  const reliesOnLabel = SCHEDULE_1_REQUIREMENTS.some(
    (r) => complianceBasisOf(record, r)?.basis === 'recognised-label',
  );
  const notCurrent = label ? labelNotCurrentOn(label, today) : undefined;
  if (label && reliesOnLabel && notCurrent) {
    missing.push(
      `a current recognised label: $.complianceBasis relies on ${describeLabel(label)}, but ${notCurrent}`,
    );
  }
  if (missing.length > 0) return { state: 'not-ready', summary: 'not ready for a statement', missing };
  if (record.recognisedLabel && labelRouteOpen(record, today)) {
    return {
      state: 'label-route',
      summary:
        `label route: ${describeLabel(record.recognisedLabel)} is current, so ${LABEL_ROUTE_CITATION} meets the ` +
        'statement duty (soc issue records the label; --statement-despite-label issues a statement)',
      missing: [],
    };
  }
  return { state: 'ready', summary: 'ready: a statement of compliance can be issued from it', missing: [] };
}
