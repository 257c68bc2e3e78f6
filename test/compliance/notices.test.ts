import { describe, expect, it } from 'vitest';
import { renderCustomerNotice, renderSecurityTxt } from '../../src/compliance/notices.js';
import { demoRecord, thrownBy } from './helpers.js';

describe('customer notices', () => {
  it('states the support period end date and reporting times in plain English', () => {
    const { text, html } = renderCustomerNotice(demoRecord());
    expect(text).toContain('until at least 31 December 2031');
    expect(text).toContain('After 31 December 2031, the product may not get any more security updates.');
    expect(text).toContain('Email: security@example.com');
    expect(text).toContain('within 5 working days');
    expect(text).toContain('at least every 14 days until the problem is resolved');
    expect(text.startsWith('EXAMPLE ONLY')).toBe(true);
    expect(html).toContain('<a href="mailto:security@example.com">security@example.com</a>');
    expect(html).toContain('until at least 31 December 2031');
  });

  it('publishes an extension with both dates (Schedule 1 para 3(3))', () => {
    const record = demoRecord();
    record.supportPeriod = { endDate: '2033-06-30', atFirstSupply: { endDate: '2031-12-31' } };
    const { text } = renderCustomerNotice(record);
    expect(text).toContain('until at least 30 June 2033');
    expect(text).toContain('it used to end on 31 December 2031, and now ends on 30 June 2033');
  });

  it('says plainly when the support period has ended', () => {
    const { text } = renderCustomerNotice(demoRecord(), { today: '2032-01-01' });
    expect(text).toContain('Security updates for the Example Brand (demo) DEMO-CAM-1 have ended');
    expect(text).toContain('until 31 December 2031. It no longer gets security updates.');
    expect(renderCustomerNotice(demoRecord(), { today: '2031-12-31' }).text).toContain(
      'until at least 31 December 2031',
    );
  });

  it('refuses, naming what is missing', () => {
    const record = demoRecord();
    delete record.supportPeriod;
    delete record.securityIssueReporting;
    const error = thrownBy(() => renderCustomerNotice(record));
    expect(error.message).toContain('$.supportPeriod.endDate');
    expect(error.message).toContain('$.securityIssueReporting');
  });
});

describe('security.txt (RFC 9116)', () => {
  it('has Contact and exactly one Expires, in RFC 3339 form', () => {
    const txt = renderSecurityTxt(demoRecord(), {
      today: '2026-11-24',
      expiresInDays: 180,
      canonicalUrl: 'https://example.com/.well-known/security.txt',
    });
    const fields = txt.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(fields).toEqual([
      'Contact: mailto:security@example.com',
      'Contact: https://example.com/security/report',
      'Expires: 2027-05-23T00:00:00.000Z',
      'Preferred-Languages: en',
      'Policy: https://example.com/security/disclosure-policy',
      'Canonical: https://example.com/.well-known/security.txt',
    ]);
  });

  it('refuses an expiry more than a year ahead and a non-https canonical URL', () => {
    expect(thrownBy(() => renderSecurityTxt(demoRecord(), { expiresInDays: 400 })).code).toBe(
      'SECURITY_TXT_EXPIRY',
    );
    expect(thrownBy(() => renderSecurityTxt(demoRecord(), { canonicalUrl: 'http://x' })).code).toBe(
      'SECURITY_TXT_CANONICAL',
    );
  });
});
