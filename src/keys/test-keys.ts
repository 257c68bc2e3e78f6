/**
 * Keys that must never provision real units: the published test-vector key (its passwords are in every copy of
 * docs/derivation.md) and any key whose file was marked demo at creation.
 */
import type { KeyFileHeader } from './key-file-format.js';

/** The key id of the test-vector key 00 01 … 1f published in docs/derivation.md. */
export const TEST_VECTOR_KEY_ID = 'd9c183eb84616abf';

/**
 * Why a key is a test key, or undefined for a key fit for production.
 *
 * @example testKeyReason(readKeyFileHeader('line.ckey')) // 'd9c183eb84616abf is the published test-vector key'
 */
export function testKeyReason(header: Pick<KeyFileHeader, 'keyId' | 'demo'>): string | undefined {
  if (header.keyId === TEST_VECTOR_KEY_ID)
    return `${header.keyId} is the published test-vector key: anyone can derive its passwords`;
  if (header.demo) return `key ${header.keyId} is marked as a demo key (keys create --demo)`;
  return undefined;
}
