import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelQrPayload, openLabelWriter } from '../../src/station/label-writer.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'credline-labels-'));

describe('label output', () => {
  it('creates the file 0600 and appends one JSON record per label', () => {
    const file = join(dir(), 'labels.jsonl');
    const labels = openLabelWriter(file);
    labels.write({ serial: 'KL2301-100001', password: 'wNADKmUL9yu5' });
    labels.write({ serial: 'KL2301-100002', password: 'vHmejRFzDv92' });
    labels.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toMatchObject([
      {
        v: 1,
        serial: 'KL2301-100001',
        password: 'wNADKmUL9yu5',
        qr: 'CREDLINE:1;S:KL2301-100001;P:wNADKmUL9yu5;;',
      },
      { v: 1, serial: 'KL2301-100002' },
    ]);
  });

  it('escapes QR separators', () => {
    expect(labelQrPayload({ serial: 'A;B', password: 'p:w\\x' })).toBe('CREDLINE:1;S:A\\;B;P:p\\:w\\\\x;;');
  });

  it('refuses stdout and a file others can read', () => {
    expect(() => openLabelWriter('-')).toThrow(/never stdout/);
    expect(() => openLabelWriter('/dev/stdout')).toThrow(/never stdout/);
    const open = join(dir(), 'labels.jsonl');
    writeFileSync(open, '', { mode: 0o644 });
    expect(() => openLabelWriter(open)).toThrow(/readable or writable by others \(mode 644\)/);
  });

  it('writes to a named pipe read by the printer driver', async () => {
    const fifo = join(dir(), 'printer');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const reader = createReadStream(fifo, { encoding: 'utf8' });
    const received = new Promise<string>((resolve) => {
      let text = '';
      reader.on('data', (c) => (text += String(c)));
      reader.on('end', () => resolve(text));
    });
    // The stream's open is handed to the thread pool on the next tick (it blocks there until a writer comes); once
    // it is queued, the writer's blocking open below meets it, however long the pool takes to get to it.
    await new Promise((r) => setImmediate(r));
    const labels = openLabelWriter(fifo);
    labels.write({ serial: 'S1', password: 'pw123456789A' });
    labels.close();
    expect(JSON.parse((await received).trim())).toMatchObject({ serial: 'S1', password: 'pw123456789A' });
  });
});
