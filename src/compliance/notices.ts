/**
 * Customer-facing information (Schedule 1 paragraphs 2 and 3): the defined support period in plain English, and
 * how to report a security issue and when the reporter will hear back; as text, HTML, and an RFC 9116
 * `security.txt` for the manufacturer's web site.
 */
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { formatLongDate, todayUtc } from './calendar-date.js';
import { escapeHtml } from './html.js';
import { regulationsTextOn } from './regulations-text.js';
import type { ProductRecord, SecurityIssueReporting, TimeSpan } from './product-record.js';
import { EXAMPLE_BANNER } from './statement-sections.js';
import { productDisplayName } from './statement.js';

export interface CustomerNotice {
  text: string;
  html: string;
}

interface NoticeFacts {
  productName: string;
  productType?: string;
  manufacturer: string;
  endDate: string;
  previousEndDate?: string;
  reporting: SecurityIssueReporting;
  example: boolean;
}

/** `5 working days`, `1 hour`. */
export function describeSpan(span: TimeSpan): string {
  const unit = { hours: 'hour', days: 'day', 'working-days': 'working day' }[span.unit];
  return `${span.value} ${unit}${span.value === 1 ? '' : 's'}`;
}

function gatherFacts(record: ProductRecord): NoticeFacts {
  const missing: string[] = [];
  if (!record.product?.brand) missing.push('$.product.brand');
  if (!record.product?.model) missing.push('$.product.model');
  if (!record.manufacturers?.[0]?.name) missing.push('$.manufacturers[0].name');
  if (!record.supportPeriod?.endDate) missing.push('$.supportPeriod.endDate');
  if (!record.securityIssueReporting) missing.push('$.securityIssueReporting');
  if (missing.length > 0) {
    throw new CredlineError(
      'NOTICE_INCOMPLETE',
      `product ${record.id}: customer notices need ${missing.join(', ')}`,
      { exitCode: ExitCode.usage },
    );
  }
  const support = record.supportPeriod as NonNullable<ProductRecord['supportPeriod']>;
  const previous = support.atFirstSupply?.endDate;
  return {
    productName: productDisplayName(record.product ?? {}),
    productType: record.product?.type,
    manufacturer: (record.manufacturers ?? []).map((m) => m.name).join(' and '),
    endDate: support.endDate,
    previousEndDate: previous !== undefined && previous !== support.endDate ? previous : undefined,
    reporting: record.securityIssueReporting as SecurityIssueReporting,
    example: record.example === true,
  };
}

interface NoticeBlock {
  heading: string;
  paragraphs: string[];
  /** Contact lines: label, shown text, link target. */
  contacts?: { label: string; text: string; href: string }[];
}

function supportBlock(f: NoticeFacts, today: string): NoticeBlock {
  const end = formatLongDate(f.endDate);
  if (f.endDate < today) {
    return {
      heading: `Security updates for the ${f.productName} have ended`,
      paragraphs: [
        `${f.manufacturer} provided security updates for the ${f.productName}` +
          `${f.productType ? ` (${f.productType})` : ''} until ${end}. It no longer gets security updates.`,
        'Security updates are software updates that fix security problems. Without them, new security problems ' +
          'found in the product will not be fixed.',
      ],
    };
  }
  const support: NoticeBlock = {
    heading: `How long will the ${f.productName} get security updates?`,
    paragraphs: [
      `${f.manufacturer} will provide security updates for the ${f.productName}` +
        `${f.productType ? ` (${f.productType})` : ''} until at least ${end}. This is the minimum length of time ` +
        'for which security updates will be provided (the defined support period).',
      'Security updates are software updates that fix security problems, so that other people cannot ' +
        'misuse your device or your information. Install them when your device offers them.',
      `After ${end}, the product may not get any more security updates.`,
    ],
  };
  if (f.previousEndDate) {
    support.paragraphs.push(
      `We have extended this period: it used to end on ${formatLongDate(f.previousEndDate)}, and now ends on ${end}.`,
    );
  }
  return support;
}

function noticeBlocks(f: NoticeFacts, today: string): NoticeBlock[] {
  const support = supportBlock(f, today);
  const r = f.reporting;
  const contacts: NoticeBlock['contacts'] = [];
  if (r.contact.email)
    contacts.push({ label: 'Email', text: r.contact.email, href: `mailto:${r.contact.email}` });
  if (r.contact.url) contacts.push({ label: 'Web form', text: r.contact.url, href: r.contact.url });
  if (r.contact.telephone) {
    contacts.push({
      label: 'Telephone',
      text: r.contact.telephone,
      href: `tel:${r.contact.telephone.replace(/[^+\d]/g, '')}`,
    });
  }
  const reporting: NoticeBlock = {
    heading: 'How to report a security problem',
    paragraphs: [
      `If you think you have found a security problem with the ${f.productName}, please report it` +
        `${r.handledBy ? ` to ${r.handledBy}` : ''}:`,
    ],
    contacts,
  };
  const after = [
    `We will let you know that we have received your report within ${describeSpan(r.acknowledgementWithin)}.`,
    `We will then send you an update at least every ${describeSpan(r.statusUpdatesEvery)} until the problem is resolved.`,
  ];
  const policy: NoticeBlock['contacts'] = r.policyUrl
    ? [{ label: 'Vulnerability disclosure policy', text: r.policyUrl, href: r.policyUrl }]
    : [];
  return [
    support,
    reporting,
    { heading: '', paragraphs: after, contacts: policy },
    {
      heading: '',
      paragraphs: [`Published under ${regulationsTextOn(today)}, Schedule 1 paragraphs 2 and 3.`],
    },
  ];
}

/**
 * The support-period notice and security-issue reporting information, for a product page or the box insert.
 * Once the support period is over (before `today`, default today UTC) the notice says so.
 *
 * @example const { text, html } = renderCustomerNotice(record);
 */
export function renderCustomerNotice(
  record: ProductRecord,
  options: { today?: string } = {},
): CustomerNotice {
  const facts = gatherFacts(record);
  const blocks = noticeBlocks(facts, options.today ?? todayUtc());
  const text: string[] = facts.example ? [EXAMPLE_BANNER, ''] : [];
  for (const block of blocks) {
    if (block.heading) text.push(block.heading, '');
    for (const p of block.paragraphs) text.push(p, '');
    for (const c of block.contacts ?? []) text.push(`  ${c.label}: ${c.text}`);
    if (block.contacts?.length) text.push('');
  }
  const html: string[] = [];
  if (facts.example) html.push(`<p class="example"><strong>${escapeHtml(EXAMPLE_BANNER)}</strong></p>`);
  for (const block of blocks) {
    if (block.heading) html.push(`<h2>${escapeHtml(block.heading)}</h2>`);
    for (const p of block.paragraphs) html.push(`<p>${escapeHtml(p)}</p>`);
    if (block.contacts?.length) {
      const items = block.contacts.map(
        (c) => `<li>${escapeHtml(c.label)}: <a href="${escapeHtml(c.href)}">${escapeHtml(c.text)}</a></li>`,
      );
      html.push(`<ul>${items.join('')}</ul>`);
    }
  }
  const page =
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<title>${escapeHtml(`Security updates and reporting: ${facts.productName}`)}</title>\n` +
    '<style>body{font-family:system-ui,Arial,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;' +
    'line-height:1.5;color:#111} .example{border:2px solid #b00;color:#b00;padding:.5rem}</style>\n' +
    `</head>\n<body>\n${html.join('\n')}\n</body>\n</html>\n`;
  return { text: `${text.join('\n').trimEnd()}\n`, html: page };
}

/** RFC 9116 section 2.5.5 recommends an `Expires` less than a year ahead. */
export const MAX_SECURITY_TXT_DAYS = 365;

/**
 * An RFC 9116 `security.txt` (serve it at `/.well-known/security.txt`): `Contact` lines (required), `Expires`
 * (required, midnight UTC `expiresInDays` after `today`), `Preferred-Languages: en`, `Policy` and `Canonical`
 * when known.
 *
 * @example renderSecurityTxt(record, { expiresInDays: 180, canonicalUrl: 'https://example.com/.well-known/security.txt' })
 */
export function renderSecurityTxt(
  record: ProductRecord,
  options: { expiresInDays?: number; canonicalUrl?: string; today?: string } = {},
): string {
  const reporting = record.securityIssueReporting;
  if (!reporting) {
    throw usageError(
      'NOTICE_INCOMPLETE',
      `product ${record.id}: security.txt needs $.securityIssueReporting`,
    );
  }
  const days = options.expiresInDays ?? 180;
  if (!Number.isInteger(days) || days < 1 || days > MAX_SECURITY_TXT_DAYS) {
    throw usageError(
      'SECURITY_TXT_EXPIRY',
      `security.txt expiry must be 1 to ${MAX_SECURITY_TXT_DAYS} days ahead (RFC 9116 section 2.5.5 recommends ` +
        `less than a year), got ${days}`,
    );
  }
  if (options.canonicalUrl !== undefined && !/^https:\/\/\S+$/.test(options.canonicalUrl)) {
    throw usageError(
      'SECURITY_TXT_CANONICAL',
      `--canonical must be an https:// URL, got ${options.canonicalUrl}`,
    );
  }
  const today = options.today ?? todayUtc();
  const expires = new Date(Date.parse(`${today}T00:00:00.000Z`) + days * 86_400_000).toISOString();
  const lines = [
    `# security.txt (RFC 9116) for ${(record.manufacturers ?? []).map((m) => m.name).join(' and ') || record.id}`,
    '# Generated by credline from the product record; serve it at /.well-known/security.txt and regenerate it',
    `# before it expires.${record.example ? ' EXAMPLE ONLY: demonstration data.' : ''}`,
  ];
  const { email, url, telephone } = reporting.contact;
  if (email) lines.push(`Contact: mailto:${email}`);
  if (url) lines.push(`Contact: ${url}`);
  if (telephone) lines.push(`Contact: tel:${telephone.replace(/[^+\d]/g, '')}`);
  lines.push(`Expires: ${expires}`, 'Preferred-Languages: en');
  if (reporting.policyUrl) lines.push(`Policy: ${reporting.policyUrl}`);
  if (options.canonicalUrl) lines.push(`Canonical: ${options.canonicalUrl}`);
  return `${lines.join('\n')}\n`;
}
