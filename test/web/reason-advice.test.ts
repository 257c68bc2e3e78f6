import { describe, expect, it } from 'vitest';
import { adviceFor } from '../../src/reasons/index.js';

describe('reason advice', () => {
  it('has words for the embedded-Linux reasons', () => {
    const unknown = adviceFor('no-such-reason');
    for (const code of ['login-refused', 'shadow-not-writable', 'file-not-writable']) {
      expect(adviceFor(code)).not.toBe(unknown);
    }
  });
});
