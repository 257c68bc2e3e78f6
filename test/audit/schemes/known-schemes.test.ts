/** Vectors from /work/shared/reference/broken-default-schemes.md (marked verified there). */
import { describe, expect, it } from 'vitest';
import { upcPassword, upcSsid } from '../../../src/audit/schemes/upc-tc7200.js';
import { ubeePasswords, ubeeSsid } from '../../../src/audit/schemes/ubee-evw3226.js';
import { thomsonInput, thomsonKey } from '../../../src/audit/schemes/thomson-speedtouch.js';
import { easyboxKey } from '../../../src/audit/schemes/arcadyan-easybox.js';
import { belkinKey } from '../../../src/audit/schemes/belkin.js';
import { pirelliDigest, pirelliKey } from '../../../src/audit/schemes/pirelli-fastweb.js';
import { aliceKey, aliceSerialFromSsid } from '../../../src/audit/schemes/alice-agpf.js';
import { eircomKey } from '../../../src/audit/schemes/eircom.js';
import { dlinkKey } from '../../../src/audit/schemes/dlink.js';
import { tplinkKey } from '../../../src/audit/schemes/tplink.js';
import { comtrendKeys } from '../../../src/audit/schemes/comtrend-jazztel.js';
import { KNOWN_SCHEMES, matchKnownScheme } from '../../../src/audit/schemes/index.js';
import { addToMac } from '../../../src/audit/schemes/known-scheme.js';

describe('UPC TC7200 (§2.1)', () => {
  it.each([
    ['SAAP19165767', '2.4GHz', 'CWGUJAJX'],
    ['SAAP25488167', '2.4GHz', 'AJCZEGNA'],
    ['SAAP05488167', '5GHz', 'ZDUEKEST'],
  ] as const)('%s %s -> %s, SSID UPC1234567', (serial, band, password) => {
    expect(upcPassword(serial, band)).toBe(password);
    expect(upcSsid(serial, band)).toBe('UPC1234567');
  });
});

describe('UBEE EVW3226 (§2.2)', () => {
  it.each([
    ['647C34123456', 'UPC3910551', 'HAYQQHCS'],
    ['647C34123455', 'UPC2870546', 'PXKRLPCC'],
    ['647C34123453', 'UPC2659797', 'IVGDQAMI'],
    ['647C3412344F', 'UPC5316036', 'OPTXTJKH'],
  ])('%s -> %s / %s', (mac, ssid, password) => {
    expect(ubeeSsid(mac)).toBe(ssid);
    expect(ubeePasswords(mac)[0]).toBe(password);
  });
});

describe('Thomson SpeedTouch (§2.3)', () => {
  it('builds the hash input from the serial and gives key and SSID suffix', () => {
    expect(thomsonInput('CP0615JT109')).toBe('CP0615313039');
    expect(thomsonKey('CP0615313039')).toEqual({ key: '742DA831D2', ssidSuffix: 'F8A3D0' });
  });
  it.each([
    ['CP0547364943', '69237B667A'],
    ['CP07474C4F34', '1C2D56E083'],
    ['CP0905373341', '8F524DED99'],
  ])('SSID Thomson41518c: %s -> %s', (input, key) => {
    expect(thomsonKey(input)).toEqual({ key, ssidSuffix: '41518C' });
  });
});

describe('EasyBox (§2.4), Belkin (§2.5), D-Link (§2.9), TP-Link (§2.10), Eircom (§2.8)', () => {
  it('EasyBox', () => {
    expect(easyboxKey('0012BF910BEC')).toBe('F9C8C9DEF');
    expect(easyboxKey('743170330011')).toBe('58639029A');
    const easybox = KNOWN_SCHEMES.find((s) => s.id === 'arcadyan-easybox');
    expect(easybox?.candidates({ mac: '74:31:70:33:00:11' })).toContain('58639129A');
  });
  it('Belkin, upper-case SSID and lower-case SSID with MAC+1', () => {
    expect(belkinKey('94445200C0DE', 'upper')).toBe('040D93B0');
    expect(belkinKey(addToMac('94445200CED0', 1), 'lower')).toBe('d49496b9');
  });
  it('D-Link, TP-Link, Eircom', () => {
    expect(dlinkKey('123456789ABC')).toBe('6r8qwaYHSNdpqdYw6aN8');
    expect(tplinkKey('F8D1111E28A5')).toBe('111E28A5');
    expect(eircomKey('000FCC59B09C')).toBe('29b2e9560b3a83a187ec5f2057');
  });
});

describe('partial schemes: what the reference settles', () => {
  it('Pirelli: the salted MD5 of the worked example and the key derived from it', () => {
    expect(pirelliDigest('00193EA1B2C3').toString('hex')).toBe('a37d4267f1d177f44d352978d95558a9');
    expect(pirelliKey('00193EA1B2C3')).toBe('6b64756b04');
  });
  it('Alice: row 538 of the magic table and the key', () => {
    expect(aliceSerialFromSsid('Alice-53847953')).toBe('67903X0178409');
    expect(aliceKey('67903X0178409', '00255335A791')).toBe('7nfyuqlahytaml3bkcjasmtf');
    expect(aliceSerialFromSsid('Alice-12345678')).toBeNull(); // rows other than 538 are not in the reference
  });
  it('Comtrend/Jazztel OUI 001A2B: first and last of 512 candidates', () => {
    const keys = comtrendKeys('001A2B112233', '1234');
    expect(keys).toHaveLength(512);
    expect(keys[0]).toBe('9e701814299bf841e288');
    expect(keys[511]).toBe('cb20cce51c5bc7457e08');
  });
});

describe('matchKnownScheme', () => {
  it('names the scheme a password came from, case-insensitively, and nothing for a keyed password', () => {
    expect(matchKnownScheme('742da831d2', { serial: 'CP0615JT109' })?.id).toBe('thomson-speedtouch');
    expect(matchKnownScheme('HAYQQHCS', { mac: '64:7c:34:12:34:59' })?.id).toBe('ubee-evw3226'); // BSSID = MAC+3
    expect(
      matchKnownScheme('7nfyuqlahytaml3bkcjasmtf', { ssid: 'Alice-53847953', mac: '00:25:53:35:a7:91' })?.id,
    ).toBe('alice-agpf');
    expect(matchKnownScheme('wNADKmUL9yu5', { serial: 'SAAP19165767', mac: '0012BF910BEC' })).toBeNull();
  });
});
