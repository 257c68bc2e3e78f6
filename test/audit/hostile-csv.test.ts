/**
 * The audit reads a hostile supplier file honestly (issue 13): one bad line costs one row, never the rows after it;
 * nothing from the file reaches a terminal raw, in any report format; the report names the exact file (SHA-256, rows,
 * credline's version); `;`-separated files are read, and the report says how; an existing HTML report is replaced
 * only with --force, and is 0600 afterwards either way.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvBatch } from '../../src/audit/csv-batch.js';
import { MAX_RECORD_LINES } from '../../src/audit/csv-records.js';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { runCli } from '../cli/run-cli.js';
import { macOf, seededPassword, seededUint32, serialOf } from './batches.js';

const dir = mkdtempSync(join(tmpdir(), 'credline-hostile-'));
const next = seededUint32(13);
const row = (i: number, sep = ','): string =>
  [serialOf(i), macOf(i), seededPassword(UNAMBIGUOUS56, 12, next)].join(sep);
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
/** Raw terminal controls: ESC (CSI, OSC), BEL, the C1 CSI, and a bare CR. */
const RAW_CONTROLS = new RegExp(`[${['\x1b', '\x07', '\x9b', '\r'].join('')}]`);

describe('a stray quote', () => {
  it('on line 201 of 2,001: that line is reported, the other 2,000 rows are audited', async () => {
    const lines = ['serial,mac,password'];
    for (let i = 0; i < 2000; i++) lines.push(row(i));
    lines.splice(200, 0, `${serialOf(9999)},"${macOf(9999)},Qz7xKp2Lm9wR`);
    const file = join(dir, 'stray-quote.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const read = await readCsvBatch(file);
    expect(read.malformed).toEqual([{ line: 201, message: 'a quoted field is not closed' }]);
    expect(read.batch.passwords).toHaveLength(2000);
    expect(read.batch.lines.slice(198, 200)).toEqual([200, 202]);
    expect(read.input).toMatchObject({ rows: 2001, sha256: sha256(file) });

    const r = runCli(['audit', file]);
    expect(r.stdout).toMatch(/^malformed rows: 1 \(not audited\)$/m);
    expect(r.stdout).toMatch(/^ {2}line 201: a quoted field is not closed$/m);
    expect(r.stdout).toMatch(/: 2000 rows$/m);
    expect(r.status).toBe(1);
  });

  it('is found by its line number far into a file read in many chunks', async () => {
    const lines = ['serial,mac,password'];
    for (let i = 0; i < 6000; i++) lines.push(row(i));
    lines.splice(5000, 0, `${serialOf(9999)},${macOf(9999)},"Qz7xKp2Lm9wR`);
    const file = join(dir, 'stray-quote-late.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const read = await readCsvBatch(file);
    expect(read.malformed).toEqual([{ line: 5001, message: 'a quoted field is not closed' }]);
    expect(read.batch.passwords).toHaveLength(6000);
    expect(read.batch.lines.at(-1)).toBe(6002);
  });

  it('keeps a quoted field that holds a line break, and counts a record spanning lines once', async () => {
    const file = join(dir, 'multi-line.csv');
    const lines = [
      'serial,note,password',
      `${serialOf(1)},"two\nlines",Qz7xKp2Lm9wR`,
      row(2).replace(/,[^,]*,/, ',x,'),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const read = await readCsvBatch(file);
    expect(read.malformed).toEqual([]);
    expect(read.batch.passwords).toEqual(['Qz7xKp2Lm9wR', expect.any(String)]);
    expect(read.input.rows).toBe(2);
  });

  it('refuses a quoted field that runs on past the longest record, or ends with the wrong field count', async () => {
    const file = join(dir, 'long-field.csv');
    const open = `${serialOf(1)},"${'line\n'.repeat(MAX_RECORD_LINES)}",Qz7xKp2Lm9wR`;
    const wrongWidth = `${serialOf(2)},"a\nb",c,Zr8Lq2mP4kWx`;
    writeFileSync(file, `serial,note,password\n${open}\n${wrongWidth}\n${row(3)}\n`);
    const read = await readCsvBatch(file);
    expect(read.malformed.map((m) => m.line)).toContain(2);
    expect(read.malformed.map((m) => m.line)).toContain(2 + MAX_RECORD_LINES + 1);
    expect(read.batch.passwords.at(-1)).toHaveLength(12);
  });
});

describe('control characters from the file', () => {
  const file = join(dir, 'controls.csv');
  const header = 'serial,mac,password,\x1b]0;owned\x07site';
  const lines = [header];
  for (let i = 0; i < 40; i++) lines.push(`${row(i)},s${i}`);
  // Twice: a duplicate is an example of the `unique` rule, so the report shows it (with --show-passwords, in full).
  for (const i of [50, 51]) lines.push(`${serialOf(i)},${macOf(i)},\x1b[2J\x1b]0;pwned\x07abcd\x9b31m,site`);
  writeFileSync(file, `${lines.join('\n')}\n`);

  it.each([['text'], ['json']])('never reach the terminal raw (--format %s)', (format) => {
    const r = runCli([
      'audit',
      file,
      '--format',
      format,
      '--identifier-columns',
      'serial,\x1b]0;owned\x07site',
      '--show-passwords',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(RAW_CONTROLS);
    expect(r.stdout).toContain('\\x1b[2J');
  });

  it('never reach the HTML report raw either', () => {
    const html = join(dir, 'controls.html');
    runCli(['audit', file, '--html', html, '--show-passwords']);
    const bytes = readFileSync(html, 'utf8');
    expect(bytes).not.toMatch(RAW_CONTROLS);
    expect(bytes).toContain('\\x1b[2J');
  });

  it('nor a one-line error naming the header', () => {
    const r = runCli(['audit', file, '--password-column', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(RAW_CONTROLS);
    expect(r.stderr).toContain('\\x1b]0;owned\\x07site');
  });
});

describe('the report names its input', () => {
  const file = join(dir, 'named.csv');
  writeFileSync(file, `serial,mac,password\n${Array.from({ length: 30 }, (_, i) => row(i)).join('\n')}\n`);
  const version = (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;

  it('in text, JSON and HTML: the file SHA-256, its rows and credline version', () => {
    const text = runCli(['audit', file]);
    expect(text.stdout).toContain(`input: SHA-256 ${sha256(file)}, 30 rows; comma-separated`);
    expect(text.stdout).toContain(`credline ${version}`);
    const json = JSON.parse(runCli(['audit', file, '--format', 'json']).stdout) as Record<string, unknown>;
    expect(json['input']).toMatchObject({ sha256: sha256(file), rows: 30, source: file });
    expect(json['credlineVersion']).toBe(version);
    const html = join(dir, 'named.html');
    runCli(['audit', file, '--html', html]);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain(sha256(file));
    expect(page).toContain(`credline\n${version}`);
  });

  it('for --derive: the serials file', () => {
    const serials = join(dir, 'named-serials.txt');
    writeFileSync(serials, `${Array.from({ length: 20 }, (_, i) => serialOf(i)).join('\n')}\n`);
    const r = runCli([
      'audit',
      '--derive',
      '--key',
      join(__dirname, '../fixtures/test-vector-line-key.ckey'),
      '--passphrase-file',
      join(__dirname, '../fixtures/test-vector-passphrase.txt'),
      '--profile-id',
      'acme-cam',
      '--serials-file',
      serials,
      '--format',
      'json',
    ]);
    expect((JSON.parse(r.stdout) as { input: unknown }).input).toMatchObject({
      sha256: sha256(serials),
      rows: 20,
    });
  });
});

describe('semicolon-separated files', () => {
  const file = join(dir, 'semicolons.csv');
  writeFileSync(
    file,
    `serial;mac;password\n${Array.from({ length: 30 }, (_, i) => row(i, ';')).join('\n')}\n`,
  );

  it('are detected, and the report says so', () => {
    const r = runCli(['audit', file]);
    expect(r.stdout).toContain(
      '30 rows; semicolon-separated (detected from the header; --delimiter to choose)',
    );
    expect(r.stdout).toMatch(/^PASS unique/m);
    expect(r.stdout).not.toMatch(/malformed/);
  });

  it('are read as told with --delimiter', () => {
    const r = runCli(['audit', file, '--delimiter', ';', '--format', 'json']);
    const report = JSON.parse(r.stdout) as { input: { delimiter: unknown }; stats: { rows: number } };
    expect(report.input.delimiter).toEqual({ char: ';', detected: false });
    expect(report.stats.rows).toBe(30);
    expect(runCli(['audit', file, '--delimiter', ';;']).stderr).toMatch(/--delimiter expected one character/);
  });
});

describe('--html over an existing file', () => {
  const file = join(dir, 'for-html.csv');
  writeFileSync(file, `serial,mac,password\n${Array.from({ length: 10 }, (_, i) => row(i)).join('\n')}\n`);

  it('is refused without --force and left as it was', () => {
    const html = join(dir, 'existing.html');
    writeFileSync(html, 'keep me', { mode: 0o644 });
    const r = runCli(['audit', file, '--html', html]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/existing\.html: it exists \(use --force to replace it\)/);
    expect(readFileSync(html, 'utf8')).toBe('keep me');
  });

  it('is replaced with --force and is 0600 afterwards, as a new one is', () => {
    const html = join(dir, 'replaced.html');
    writeFileSync(html, 'old report');
    chmodSync(html, 0o644);
    runCli(['audit', file, '--html', html, '--force']);
    expect(readFileSync(html, 'utf8')).toContain('<!DOCTYPE html>');
    expect(statSync(html).mode & 0o777).toBe(0o600);
    const fresh = join(dir, 'fresh.html');
    runCli(['audit', file, '--html', fresh]);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
  });
});
