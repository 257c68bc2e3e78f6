/** The Zebra ZPL label for a known unit, its layout at other resolutions, and field data no input can break. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NAMED_ALPHABETS } from '../../src/derive/alphabet.js';
import { labelQrPayload, renderZplLabel } from '../../src/labels/index.js';

/** The ZPL for the design document's first test vector (serial KL2301-100001, password wNADKmUL9yu5). */
const KNOWN_UNIT_203_DPI = [
  '^XA',
  '^CI28',
  '^PW400',
  '^LL200',
  '^LH0,0',
  '^FO12,18^BQN,2,5^FH_^FDMA,CREDLINE_3A1_3BS_3AKL2301-100001_3BP_3AwNADKmUL9yu5_3B_3B^FS',
  '^FO189,12^A0N,20,20^FB199,2,0,L^FH_^FDS/N KL2301-100001^FS',
  '^FO189,64^A0N,20,20^FDPassword^FS',
  '^FO189,88^A0N,28,28^FB199,2,0,L^FH_^FDwNADKmUL9yu5^FS',
  '^PQ1',
  '^XZ',
  '',
].join('\n');

/** The text of each ^FD field, with ^FH_ escapes decoded as a printer does. */
function fieldData(zpl: string): string[] {
  return [...zpl.matchAll(/\^FD([^^~]*)\^FS/g)].map((m) =>
    Buffer.from(
      (m[1] ?? '').replace(/_([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8'),
  );
}

describe('ZPL label', () => {
  const unit = { serial: 'KL2301-100001', password: 'wNADKmUL9yu5' };

  it('is exactly the expected ZPL for a known unit: 50 × 25 mm at 203 dpi (400 × 200 dots)', () => {
    expect(renderZplLabel(unit)).toBe(KNOWN_UNIT_203_DPI);
  });

  it('carries the serial, the password and the QR payload', () => {
    expect(fieldData(renderZplLabel(unit))).toEqual([
      `MA,${labelQrPayload(unit)}`,
      'S/N KL2301-100001',
      'Password',
      'wNADKmUL9yu5',
    ]);
  });

  it('scales to the printer: 300 dpi gives 591 × 295 dots and a larger QR module', () => {
    const zpl = renderZplLabel(unit, { dpi: 300, widthMm: 50, heightMm: 25 });
    expect(zpl).toContain('^PW591\n^LL295\n');
    expect(zpl).toMatch(/\^BQN,2,7\^/);
    expect(renderZplLabel(unit, { dpi: 600, widthMm: 50, heightMm: 25 })).toMatch(/\^BQN,2,10\^/);
  });

  it('keeps the QR inside the label for the longest serial and password', () => {
    const zpl = renderZplLabel({ serial: 'S'.repeat(64), password: '~'.repeat(64) });
    const [, y, magnification] = /\^FO\d+,(\d+)\^BQN,2,(\d+)/.exec(zpl) ?? [];
    expect(Number(magnification)).toBeGreaterThanOrEqual(1);
    expect(Number(y)).toBeGreaterThanOrEqual(0);
  });

  it('no serial or password can end a field or start a command (property)', () => {
    const printable = [...(NAMED_ALPHABETS['printable94'] ?? ''), 'ä', 'Ω', '中', '_'];
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...printable), minLength: 1, maxLength: 64 }),
        fc.string({ unit: fc.constantFrom(...printable), minLength: 4, maxLength: 64 }),
        (serial, password) => {
          const zpl = renderZplLabel({ serial, password });
          const commands = zpl.split('\n').filter(Boolean);
          // Every ^ or ~ in the output starts one of the commands credline writes.
          for (const line of commands)
            expect(line.replace(/\^(XA|CI|PW|LL|LH|FO|BQ|FH|FD|FS|A0N|FB|PQ|XZ)/g, '')).not.toMatch(/[\^~]/);
          expect(fieldData(zpl)).toEqual([
            `MA,${labelQrPayload({ serial, password })}`,
            `S/N ${serial}`,
            'Password',
            password,
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
