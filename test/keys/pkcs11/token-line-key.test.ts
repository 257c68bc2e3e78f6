/**
 * Line keys in a real PKCS#11 token (SoftHSM2): the published vectors hold with the test key imported, every HMAC
 * under K is computed by the token (C_Sign), the value cannot be read out, and each failure is one clear error.
 */
import { readFileSync } from 'node:fs';
import type * as Pkcs11Js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNAMBIGUOUS56, resolveAlphabet } from '../../../src/derive/alphabet.js';
import { createFingerprinter, keyId } from '../../../src/derive/key-id.js';
import { lineKeyOf, type LineKey } from '../../../src/derive/line-key.js';
import { createPasswordDeriver } from '../../../src/derive/password.js';
import type { SerialCase } from '../../../src/derive/serial.js';
import { CredlineError } from '../../../src/errors/credline-error.js';
import {
  createTokenLineKey,
  openTokenLineKey,
  type TokenKeySpec,
  type TokenLineKey,
} from '../../../src/keys/pkcs11/index.js';
import {
  SOFTHSM_MODULE,
  TEST_VECTOR_KEY_HEX,
  USER_PIN,
  createSoftHsm,
  haveSoftHsm,
  type SoftHsm,
} from '../../support/softhsm.js';

const K = Buffer.from(TEST_VECTOR_KEY_HEX, 'hex');
const VECTORS = JSON.parse(
  readFileSync(new URL('../../vectors/derivation-v1.json', import.meta.url), 'utf8'),
) as {
  vectors: {
    profileId: string;
    serial: string;
    serialCase: SerialCase;
    alphabet: string;
    length: number;
    attempt: number;
    password: string;
    fingerprint: string;
  }[];
};
const TOKEN = 'line3';

describe.skipIf(!haveSoftHsm())('line keys in a PKCS#11 token (SoftHSM2)', () => {
  let hsm: SoftHsm;
  let p11: typeof Pkcs11Js;
  let raw: Pkcs11Js.PKCS11;
  let slot: Pkcs11Js.Handle;
  let session: Pkcs11Js.Handle;
  let vectorKey: TokenLineKey;
  let original: typeof Pkcs11Js.PKCS11;
  /** C_Sign calls made through the binding by credline (the test's own handle is not counted). */
  let signs = 0;
  const spec = (object: string, more: Partial<TokenKeySpec> = {}): TokenKeySpec => ({
    modulePath: SOFTHSM_MODULE,
    uri: `pkcs11:token=${TOKEN};object=${object}`,
    pin: USER_PIN,
    ...more,
  });

  /** A key object made by hand, bypassing credline's template (to test what credline refuses). */
  const rawObject = (template: Pkcs11Js.Template): void => {
    raw.C_CreateObject(session, [{ type: p11.CKA_TOKEN, value: true }, ...template]);
  };

  beforeAll(async () => {
    hsm = createSoftHsm(TOKEN);
    p11 = ((await import('pkcs11js')) as unknown as { default: typeof Pkcs11Js }).default;
    // This test's own handle initialises the library first, so it outlives every session credline opens.
    raw = new p11.PKCS11();
    raw.load(SOFTHSM_MODULE);
    raw.C_Initialize({ flags: p11.CKF_OS_LOCKING_OK });
    const found = raw.C_GetSlotList(true)[0];
    if (found === undefined) throw new Error('no SoftHSM slot');
    slot = found;
    session = raw.C_OpenSession(slot, p11.CKF_SERIAL_SESSION | p11.CKF_RW_SESSION);
    raw.C_Login(session, p11.CKU_USER, USER_PIN);
    // Every PKCS11 instance credline makes from here on counts its C_Sign calls (pkcs11js puts the methods on
    // each instance, so the count is kept by wrapping the instance's own method).
    original = p11.PKCS11;
    p11.PKCS11 = class Counting extends original {
      constructor() {
        super();
        const sign = this.C_Sign.bind(this) as (...args: unknown[]) => Buffer;
        Object.assign(this, { C_Sign: (...args: unknown[]) => (signs++, sign(...args)) });
      }
    };
    const created = await createTokenLineKey(spec('line-key'), Uint8Array.from(K));
    expect(created).toEqual({
      keyId: 'd9c183eb84616abf',
      token: TOKEN,
      uri: 'pkcs11:token=line3;object=line-key',
    });
    vectorKey = await openTokenLineKey(spec('line-key'));
  });

  afterAll(() => {
    vectorKey?.close();
    p11.PKCS11 = original;
    raw?.C_Finalize();
    hsm?.cleanup();
  });

  it('gives the published test vectors with the test key imported (docs/derivation.md)', () => {
    expect(vectorKey.keyId).toBe('d9c183eb84616abf');
    expect(keyId(vectorKey)).toBe('d9c183eb84616abf');
    const derive = createPasswordDeriver(vectorKey, {
      profileId: 'acme-cam',
      alphabet: UNAMBIGUOUS56,
      length: 12,
    });
    expect(derive('KL2301-100001', 0).password).toBe('wNADKmUL9yu5');
    expect(derive('KL2301-100001', 1).password).toBe('vHmejRFzDv92');
    const digits = createPasswordDeriver(vectorKey, { profileId: 'p1', alphabet: '0123456789', length: 20 });
    expect(digits('ABC').password).toBe('65308138845094070182');
    expect(createFingerprinter(vectorKey)('wNADKmUL9yu5')).toBe(
      '5863da2fda128d052d904ee3f5be36c9dbdaaacb1d2d3ed30db50af78190ca68',
    );
  });

  it('gives every vector of test/vectors/derivation-v1.json, password and fingerprint', () => {
    const fingerprintOf = createFingerprinter(vectorKey);
    for (const v of VECTORS.vectors) {
      const derive = createPasswordDeriver(vectorKey, {
        profileId: v.profileId,
        alphabet: resolveAlphabet(v.alphabet),
        length: v.length,
        serialCase: v.serialCase,
      });
      expect(derive(v.serial, v.attempt).password).toBe(v.password);
      expect(fingerprintOf(v.password)).toBe(v.fingerprint);
    }
  });

  it('keeps the value inside: reading CKA_VALUE fails, the object is sensitive and not extractable', () => {
    raw.C_FindObjectsInit(session, [{ type: p11.CKA_LABEL, value: 'line-key' }]);
    const [handle] = raw.C_FindObjects(session, 2);
    raw.C_FindObjectsFinal(session);
    if (handle === undefined) throw new Error('key not found');
    expect(() => raw.C_GetAttributeValue(session, handle, [{ type: p11.CKA_VALUE }])).toThrow(
      /CKR_ATTRIBUTE_SENSITIVE/,
    );
    const [sensitive, extractable, id] = raw.C_GetAttributeValue(session, handle, [
      { type: p11.CKA_SENSITIVE },
      { type: p11.CKA_EXTRACTABLE },
      { type: p11.CKA_ID },
    ]);
    expect(sensitive?.value[0]).toBe(1);
    expect(extractable?.value[0]).toBe(0);
    expect(id?.value.toString('hex')).toBe('d9c183eb84616abf');
    expect(vectorKey.key).toMatchObject({ sensitive: true, extractable: false, local: false });
    expect(JSON.stringify(vectorKey)).not.toContain(TEST_VECTOR_KEY_HEX);
  });

  it('computes every HMAC under K in the token: one C_Sign per HMAC, byte-identical to the file key', () => {
    let fileMacs = 0;
    const fileKey = lineKeyOf(Uint8Array.from(K));
    const counted: LineKey = { mac: (m) => (fileMacs++, fileKey.mac(m)) };
    const signsBefore = signs;
    const params = { profileId: 'p1', alphabet: '0123456789', length: 40 };
    const fromToken = createPasswordDeriver(vectorKey, params);
    const fromFile = createPasswordDeriver(counted, params);
    const fpToken = createFingerprinter(vectorKey);
    const fpFile = createFingerprinter(counted);
    for (let i = 0; i < 50; i++) {
      for (const attempt of [0, 3, 15]) {
        const serial = `KL2301-${100000 + i}`;
        const a = fromToken(serial, attempt);
        const b = fromFile(serial, attempt);
        expect(a).toEqual(b);
        expect(fpToken(a.password ?? '')).toBe(fpFile(b.password ?? ''));
      }
    }
    expect(keyId(vectorKey)).toBe(keyId(counted));
    expect(fileMacs).toBeGreaterThan(300); // 40 digits need 5 blocks, so several HMACs per password
    expect(signs - signsBefore).toBe(fileMacs);
  });

  it('generates a key inside the token that never exists outside it', async () => {
    const created = await createTokenLineKey(spec('generated'));
    expect(created.keyId).toMatch(/^[0-9a-f]{16}$/);
    const key = await openTokenLineKey(spec('generated'));
    try {
      expect(key.keyId).toBe(created.keyId);
      expect(key.key).toMatchObject({ local: true, neverOutside: true, extractable: false, sensitive: true });
    } finally {
      key.close();
    }
  });

  const refusal = async (
    open: Promise<unknown>,
    code: string,
    message: RegExp,
    exitCode = 2,
  ): Promise<void> => {
    const error = await open.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CredlineError);
    expect(error).toMatchObject({ code, exitCode });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/\n/);
    expect((error as Error).message).not.toContain(USER_PIN);
  };

  it('refuses, before any use, a missing module, an absent token, and a missing key (a wrong PIN: CLI test)', async () => {
    await refusal(
      openTokenLineKey(spec('line-key', { modulePath: '/nonexistent/libpkcs11.so' })),
      'TOKEN_MODULE',
      /cannot load the PKCS#11 module \/nonexistent\/libpkcs11.so/,
    );
    await refusal(
      openTokenLineKey(spec('line-key', { uri: 'pkcs11:token=line9;object=line-key' })),
      'TOKEN_NOT_FOUND',
      /no token labelled "line9" is present .* \(tokens present: "line3"\)/,
    );
    await refusal(
      openTokenLineKey(spec('no-such-key')),
      'TOKEN_KEY_NOT_FOUND',
      /no key "no-such-key" on token/,
    );
    await refusal(
      createTokenLineKey(spec('line-key')),
      'TOKEN_KEY_EXISTS',
      /already holds an object "line-key"/,
    );
  });

  it('refuses an extractable key and a key of the wrong type', async () => {
    const secret = [
      { type: p11.CKA_CLASS, value: p11.CKO_SECRET_KEY },
      { type: p11.CKA_SIGN, value: true },
    ];
    rawObject([
      ...secret,
      { type: p11.CKA_KEY_TYPE, value: p11.CKK_GENERIC_SECRET },
      { type: p11.CKA_LABEL, value: 'extractable' },
      { type: p11.CKA_SENSITIVE, value: false },
      { type: p11.CKA_EXTRACTABLE, value: true },
      { type: p11.CKA_VALUE, value: K },
    ]);
    rawObject([
      ...secret,
      { type: p11.CKA_KEY_TYPE, value: p11.CKK_AES },
      { type: p11.CKA_LABEL, value: 'aes' },
      { type: p11.CKA_SENSITIVE, value: true },
      { type: p11.CKA_EXTRACTABLE, value: false },
      { type: p11.CKA_VALUE, value: K },
    ]);
    rawObject([
      { type: p11.CKA_CLASS, value: p11.CKO_DATA },
      { type: p11.CKA_LABEL, value: 'data' },
      { type: p11.CKA_VALUE, value: K },
    ]);
    await refusal(
      openTokenLineKey(spec('extractable')),
      'TOKEN_KEY_EXTRACTABLE',
      /can be read out of the token/,
    );
    await refusal(openTokenLineKey(spec('aes')), 'TOKEN_KEY_TYPE', /not a generic secret/);
    await refusal(openTokenLineKey(spec('data')), 'TOKEN_KEY_TYPE', /is a data object, not a secret key/);
  });

  it('fails with the hardware exit code when the session is lost mid-run', async () => {
    const key = await openTokenLineKey(spec('line-key'));
    try {
      const derive = createPasswordDeriver(key, {
        profileId: 'acme-cam',
        alphabet: UNAMBIGUOUS56,
        length: 12,
      });
      expect(derive('KL2301-100001').password).toBe('wNADKmUL9yu5');
      raw.C_CloseAllSessions(slot); // every session of this process on the token is gone, as when it is pulled
      await refusal(
        Promise.resolve().then(() => derive('KL2301-100002')),
        'TOKEN_LOST',
        /token "line3" stopped answering \(CKR_SESSION_HANDLE_INVALID\)/,
        3,
      );
    } finally {
      key.close();
      session = raw.C_OpenSession(slot, p11.CKF_SERIAL_SESSION | p11.CKF_RW_SESSION);
      raw.C_Login(session, p11.CKU_USER, USER_PIN);
      vectorKey.close();
      vectorKey = await openTokenLineKey(spec('line-key'));
    }
  });
});
