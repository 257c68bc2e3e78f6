export const LINE_KEY_BYTES = 32;

/** Checks that `key` is a 32-byte line key (noble-style message: what was expected, what arrived). */
export function assertLineKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== LINE_KEY_BYTES) {
    const got = key instanceof Uint8Array ? `length ${key.length}` : typeof key;
    throw new TypeError(`"key" expected Uint8Array of length ${LINE_KEY_BYTES}, got ${got}`);
  }
}
