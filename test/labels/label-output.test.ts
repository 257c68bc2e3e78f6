/** Label outputs on the file system: ZPL to a file (0600) or a printer's device file; JSON lines as before. */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLabelOutput, renderZplLabel } from '../../src/labels/index.js';

const unit = { serial: 'KL2301-100001', password: 'wNADKmUL9yu5' };

describe('label outputs', () => {
  it('appends one ZPL label per unit to a file created 0600', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'credline-zpl-')), 'labels.zpl');
    const labels = openLabelOutput(file, { format: 'zpl' });
    await labels.write(unit);
    await labels.write({ serial: 'KL2301-100002', password: 'vHmejRFzDv92' });
    labels.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(renderZplLabel(unit))).toBe(true);
    expect(text.match(/\^XA/g)).toHaveLength(2);
  });

  it('takes a character device (a USB printer, here /dev/null) for ZPL only', async () => {
    const labels = openLabelOutput('/dev/null', { format: 'zpl' });
    await labels.write(unit);
    labels.close();
    expect(() => openLabelOutput('/dev/null')).toThrow(/must be a regular file or a named pipe/);
  });

  it('writes the JSON line record with the clock given', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'credline-jsonl-')), 'labels.jsonl');
    const labels = openLabelOutput(file, { now: () => new Date('2026-11-24T23:53:13.018Z') });
    await labels.write(unit);
    labels.close();
    expect(readFileSync(file, 'utf8')).toBe(
      '{"v":1,"serial":"KL2301-100001","password":"wNADKmUL9yu5","qr":"CREDLINE:1;S:KL2301-100001;P:wNADKmUL9yu5;;","printedAt":"2026-11-24T23:53:13.018Z"}\n',
    );
  });

  it('never goes to stdout', () => {
    expect(() => openLabelOutput('-', { format: 'zpl' })).toThrow(/never stdout/);
    expect(() => openLabelOutput('/dev/stdout', { format: 'zpl' })).toThrow(/never stdout/);
  });
});
