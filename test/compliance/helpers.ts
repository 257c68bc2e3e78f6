import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { ProductRecord } from '../../src/compliance/product-record.js';

export const DEMO_PRODUCT_PATH = new URL('../../provisioning/examples/demo-product.json', import.meta.url)
  .pathname;

/** A fresh copy of the shipped demo product record (valid, in scope, non-Latin names). */
export function demoRecord(): ProductRecord {
  return JSON.parse(readFileSync(DEMO_PRODUCT_PATH, 'utf8')) as ProductRecord;
}

export function temporaryDirectory(prefix = 'credline-compliance-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The error `fn` throws; fails the test when it returns normally. */
export function thrownBy(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the call to throw, but it returned');
}

/** Reads every entry of a zip file (stored or deflated): enough to check what credline's packs contain. */
export function readZipEntries(path: string): Map<string, Buffer> {
  const zip = readFileSync(path);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${path}: no end of central directory`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + compressedSize);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + skip;
  }
  return entries;
}

/** True when a `python3` is on the PATH (the auditor README's recipes use it). */
export const HAS_PYTHON3 = spawnSync('python3', ['--version']).status === 0;
