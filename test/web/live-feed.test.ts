import { describe, expect, it } from 'vitest';
import { keyId } from '../../src/derive/key-id.js';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { LiveFeed } from '../../src/web/live-feed.js';
import { openSqliteSource } from '../../src/web/index.js';
import { BATCH, createConsoleFixture } from './fixture.js';

async function nextEvent(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let text = '';
  while (!text.includes('event: line')) {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    text += new TextDecoder().decode(value);
  }
  return text;
}

describe('live feed', () => {
  it('sends a verdict even when a page request refreshed the source first', async () => {
    const file = createConsoleFixture();
    const source = openSqliteSource(file);
    const feed = new LiveFeed(source, { pollMs: 3_600_000 });
    try {
      const reader = (feed.open() as ReadableStream<Uint8Array>).getReader();
      expect(await nextEvent(reader)).not.toContain('DEMO-100777');
      const store = openEvidenceStore(file);
      const intent = store.recordIntent({
        batchId: BATCH,
        serial: 'DEMO-100777',
        keyId: keyId(Uint8Array.from({ length: 32 }, (_, i) => i)),
        schemeVersion: 1,
        attempt: 0,
        fingerprint: 'e'.repeat(64),
        stationId: 'line1',
        port: '/dev/ttyUSB1',
      });
      store.recordResult(intent, { result: 'FAIL', readbackVerified: false, reasonCode: 'timeout' });
      store.close();
      expect(await source.refresh()).toBe(true);
      await feed.tick();
      expect(await nextEvent(reader)).toContain('DEMO-100777');
      expect(feed.clients).toBe(1);
      await reader.cancel();
      expect(feed.clients).toBe(0);
    } finally {
      feed.close();
      await source.close();
    }
  });

  it('refuses pages beyond its bound', async () => {
    const source = openSqliteSource(createConsoleFixture());
    const feed = new LiveFeed(source, { pollMs: 3_600_000, maxClients: 1 });
    try {
      const first = (feed.open() as ReadableStream<Uint8Array>).getReader();
      expect(feed.open()).toBeUndefined();
      await nextEvent(first);
      await first.cancel();
      expect(feed.open()).toBeDefined();
    } finally {
      feed.close();
      await source.close();
    }
  });
});
