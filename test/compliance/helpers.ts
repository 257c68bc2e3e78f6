import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
