/**
 * Schedule 2 (deemed compliance): which standard provisions stand in for which Schedule 1 requirement. Regulation
 * 2 fixes the editions: ETSI EN 303 645 V2.1.1 (19 June 2020) and ISO/IEC 29147:2018 (2nd edition).
 */
import type { Schedule1Requirement, StandardReference } from './product-record.js';
import type { ValidationIssue } from './validation-issue.js';

interface AcceptedRoute {
  standardId: string;
  version: string;
  /** Prefix the date of issue must start with. */
  datePrefix: string;
  /** Provisions that must all be claimed. */
  requiredProvisions: string[];
  /** Provisions that may also be claimed. */
  optionalProvisions: string[];
  description: string;
}

const ETSI = { standardId: 'ETSI EN 303 645', version: 'V2.1.1', datePrefix: '2020-06' };
const ISO_29147 = { standardId: 'ISO/IEC 29147', version: '2018', datePrefix: '2018' };

/** Schedule 2 paragraphs 1–3, route by route. */
export const DEEMED_COMPLIANCE_ROUTES: Record<
  Schedule1Requirement,
  { paragraph: number; routes: AcceptedRoute[] }
> = {
  passwords: {
    paragraph: 1,
    routes: [
      {
        ...ETSI,
        requiredProvisions: ['5.1-1'],
        optionalProvisions: ['5.1-2'],
        description: 'ETSI EN 303 645 V2.1.1 provision 5.1-1 (and, where relevant, 5.1-2)',
      },
    ],
  },
  securityIssueReporting: {
    paragraph: 2,
    routes: [
      {
        ...ETSI,
        requiredProvisions: ['5.2-1'],
        optionalProvisions: [],
        description: 'ETSI EN 303 645 V2.1.1 provision 5.2-1',
      },
      {
        ...ISO_29147,
        requiredProvisions: ['6.2.2', '6.2.5', '6.5'],
        optionalProvisions: [],
        description: 'ISO/IEC 29147:2018 paragraphs 6.2.2, 6.2.5 and 6.5',
      },
    ],
  },
  supportPeriodInformation: {
    paragraph: 3,
    routes: [
      {
        ...ETSI,
        requiredProvisions: ['5.3-13'],
        optionalProvisions: [],
        description: 'ETSI EN 303 645 V2.1.1 provision 5.3-13',
      },
    ],
  },
};

function normaliseStandardId(id: string): string {
  return id.replace(/\s+/g, ' ').trim().toUpperCase();
}

function normaliseVersion(version: string): string {
  const v = version.trim().toUpperCase();
  return /^\d/.test(v) && v.includes('.') ? `V${v}` : v;
}

/**
 * Checks that the standards claimed for deemed compliance with one Schedule 1 requirement are a route Schedule 2
 * accepts, in the edition regulation 2 names. At least one listed standard must complete a route; each listed
 * standard must belong to one.
 */
export function checkDeemedComplianceStandards(
  requirement: Schedule1Requirement,
  standards: readonly StandardReference[],
  path: string,
): ValidationIssue[] {
  const { paragraph, routes } = DEEMED_COMPLIANCE_ROUTES[requirement];
  const accepted = routes.map((route) => route.description).join(', or ');
  const issues: ValidationIssue[] = [];
  let routeCompleted = false;
  standards.forEach((standard, index) => {
    const at = `${path}[${index}]`;
    const route = routes.find((r) => normaliseStandardId(r.standardId) === normaliseStandardId(standard.id));
    if (!route) {
      issues.push({
        path: `${at}.id`,
        message: `${JSON.stringify(standard.id)} is not a route to deemed compliance under Schedule 2 paragraph ${paragraph}; accepted: ${accepted}`,
      });
      return;
    }
    if (normaliseVersion(standard.version) !== route.version) {
      issues.push({
        path: `${at}.version`,
        message: `Schedule 2 relies on ${route.standardId} ${route.version} (regulation 2); got ${JSON.stringify(standard.version)}`,
      });
    }
    if (!standard.dateOfIssue.startsWith(route.datePrefix)) {
      issues.push({
        path: `${at}.dateOfIssue`,
        message: `${route.standardId} ${route.version} was issued ${route.datePrefix}; got ${JSON.stringify(standard.dateOfIssue)}`,
      });
    }
    const known = new Set([...route.requiredProvisions, ...route.optionalProvisions]);
    const unknown = standard.provisions.filter((p) => !known.has(p.trim()));
    if (unknown.length > 0) {
      issues.push({
        path: `${at}.provisions`,
        message: `${unknown.join(', ')} not part of Schedule 2 paragraph ${paragraph}; accepted: ${route.description}`,
      });
    }
    const missing = route.requiredProvisions.filter((p) => !standard.provisions.some((q) => q.trim() === p));
    if (missing.length > 0) {
      issues.push({
        path: `${at}.provisions`,
        message: `must include ${missing.join(', ')} (Schedule 2 paragraph ${paragraph}: ${route.description})`,
      });
    } else {
      routeCompleted = true;
    }
  });
  if (!routeCompleted && issues.length === 0) {
    issues.push({ path, message: `no complete route to deemed compliance; accepted: ${accepted}` });
  }
  return issues;
}
