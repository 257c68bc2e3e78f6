import { describe, expect, it } from 'vitest';
import { CredlineError } from '../../../src/errors/credline-error.js';
import { formatPkcs11Uri, isPkcs11Uri, parsePkcs11Uri } from '../../../src/keys/pkcs11/index.js';

describe('PKCS#11 URIs (RFC 7512)', () => {
  it('reads the path and query attributes, percent-decoded', () => {
    expect(parsePkcs11Uri('pkcs11:token=line%203;object=line-key')).toEqual({
      token: 'line 3',
      object: 'line-key',
    });
    expect(
      parsePkcs11Uri(
        'pkcs11:token=t;serial=0123;slot-id=7;id=%d9%c1;type=secret-key?module-path=/usr/lib/x.so&pin-source=file:/run/pin',
      ),
    ).toEqual({
      token: 't',
      serial: '0123',
      slotId: 7,
      id: Uint8Array.from([0xd9, 0xc1]),
      modulePath: '/usr/lib/x.so',
      pinFile: '/run/pin',
    });
    expect(isPkcs11Uri('PKCS11:object=a')).toBe(true);
    expect(isPkcs11Uri('line.ckey')).toBe(false);
  });

  it('round-trips what it formats', () => {
    const uri = formatPkcs11Uri({ token: 'Line 3; Hall B', object: 'clé' });
    expect(uri).toBe('pkcs11:token=Line%203%3b%20Hall%20B;object=cl%c3%a9');
    expect(parsePkcs11Uri(uri)).toEqual({ token: 'Line 3; Hall B', object: 'clé' });
  });

  it.each([
    ['line.ckey', /start with "pkcs11:"/],
    ['pkcs11:token=a', /name the key with object=LABEL or id=/],
    ['pkcs11:token=a;object=k;object=j', /"object" is given twice/],
    ['pkcs11:token=a;object=k;colour=red', /unknown path attribute "colour"/],
    ['pkcs11:object=k?pin-value=1234', /a PIN in the URI is refused/],
    ['pkcs11:object=k;type=private', /type=secret-key, got type=private/],
    ['pkcs11:object=k%zz', /"object" has a malformed %-escape/],
    ['pkcs11:object=%ff', /"object" is not UTF-8/],
    ['pkcs11:object=k;slot-id=x', /"slot-id" expected a decimal number/],
    ['pkcs11:object', /"object" is not name=value/],
  ])('refuses %s with one line naming the problem', (uri, message) => {
    let error: unknown;
    try {
      parsePkcs11Uri(uri);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CredlineError);
    expect((error as CredlineError).code).toBe('PKCS11_URI');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('1234');
  });
});
