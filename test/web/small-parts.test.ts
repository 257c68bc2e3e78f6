import { describe, expect, it } from 'vitest';
import { tokensEqual, sessionValue } from '../../src/web/access-token.js';
import { fleetLineState } from '../../src/web/fleet-line.js';
import { html, trustedMarkup } from '../../src/web/html.js';
import { LineAggregate, type EventFacts } from '../../src/web/line-aggregate.js';
import { isLoopback, parseListenAddress } from '../../src/web/listen-address.js';
import { VerifyMonitor } from '../../src/web/verify-monitor.js';
import { createConsoleFixture } from './fixture.js';

function event(seq: number, over: Partial<EventFacts>): EventFacts {
  return {
    seq,
    kind: 'INTENT',
    intentSeq: null,
    batchId: 'B1',
    serial: `S${seq}`,
    attempt: 0,
    result: null,
    reasonCode: null,
    reasonText: null,
    port: 'p1',
    recordedAt: `2026-12-01T10:00:${String(seq).padStart(2, '0')}.000Z`,
    ...over,
  };
}

describe('html', () => {
  it('escapes every interpolated value and keeps nested markup', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x\''}">${inner}${[1, '&']}${null}${trustedMarkup('<svg/>')}</p>`.text).toBe(
      '<p title="&quot;x&#39;"><b>&lt;i&gt;</b>1&amp;<svg/></p>',
    );
  });
});

describe('listen address', () => {
  it('parses host:port and tells loopback', () => {
    expect(parseListenAddress('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseListenAddress('example.com:80')).toThrow(/expected HOST:PORT/);
    expect(() => parseListenAddress('127.0.0.1:99999')).toThrow(/expected HOST:PORT/);
    expect(['127.0.0.1', '127.9.9.9', '::1', 'localhost'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '10.0.0.1', '::'].map(isLoopback)).toEqual([false, false, false]);
  });
});

describe('access token', () => {
  it('compares tokens of any length, and the cookie value is not the token', () => {
    expect(tokensEqual('a'.repeat(32), 'a'.repeat(32))).toBe(true);
    expect(tokensEqual('a'.repeat(31), 'a'.repeat(32))).toBe(false);
    expect(tokensEqual('', 'a'.repeat(32))).toBe(false);
    expect(sessionValue('a'.repeat(32))).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('line aggregate', () => {
  it('folds intents and results into the line, batch totals and failures', () => {
    const line = new LineAggregate();
    line.add(event(1, {}));
    expect(line.lineState(new Date('2026-12-01T10:00:30Z')).ports[0]?.inHand?.serial).toBe('S1');
    line.add(event(2, { kind: 'RESULT', intentSeq: 1, serial: 'S1', result: 'PASS' }));
    line.add(event(3, { serial: 'S3', port: 'p2' }));
    line.add(
      event(4, { kind: 'RESULT', intentSeq: 3, serial: 'S3', port: 'p2', result: 'FAIL', reasonCode: 'nak' }),
    );
    line.add(event(5, { serial: 'S5', port: 'p2', batchId: 'B2' }));
    const b1 = line.batches.get('B1');
    expect(b1?.tally).toEqual({ pass: 1, fail: 1, aborted: 0, open: 0 });
    expect([...(b1?.reasons ?? [])]).toEqual([['nak', 1]]);
    expect(line.perHour('B1')).toEqual([{ start: '2026-12-01T10:00:00Z', pass: 1, fail: 1 }]);
    const state = line.lineState(new Date('2026-12-01T10:00:30Z'));
    expect(state.batchId).toBe('B2');
    expect(state.ports.map((p) => [p.port, p.inHand?.serial])).toEqual([['p2', 'S5']]);
    expect(state.tally).toEqual({ pass: 0, fail: 0, aborted: 0, open: 1 });
    expect(state.devicesPerMinute).toBe(2);
    expect(line.lineState(new Date('2026-12-01T10:02:00Z')).devicesPerMinute).toBe(0);
  });
});

describe('fleet line', () => {
  it("puts every station's ports side by side, totals the newest batch over its stations, merges failures", () => {
    const east = new LineAggregate();
    east.add(event(1, {}));
    east.add(event(2, { kind: 'RESULT', intentSeq: 1, serial: 'S1', result: 'FAIL', reasonCode: 'nak' }));
    const west = new LineAggregate();
    west.add(event(3, { batchId: 'B0', serial: 'W1' }));
    west.add(event(4, { kind: 'RESULT', intentSeq: 3, batchId: 'B0', serial: 'W1', result: 'PASS' }));
    west.add(event(5, { serial: 'W2' }));
    west.add(event(6, { kind: 'RESULT', intentSeq: 5, serial: 'W2', result: 'PASS' }));
    west.add(event(7, { serial: 'W3', port: 'p2', batchId: 'B0' }));
    const north = new LineAggregate();
    north.add(event(8, { batchId: 'B0', serial: 'N1' }));
    north.add(event(9, { kind: 'RESULT', intentSeq: 8, batchId: 'B0', serial: 'N1', result: 'ABORTED' }));
    const state = fleetLineState(
      new Map([
        ['west', west],
        ['north', north],
        ['east', east],
      ]),
      new Date('2026-12-01T10:00:30Z'),
    );
    expect(state.batchId).toBe('B0');
    expect(state.ports.map((p) => [p.station, p.port, p.batchId, p.last?.serial, p.inHand?.serial])).toEqual([
      ['east', 'p1', 'B1', 'S1', undefined],
      ['north', 'p1', 'B0', 'N1', undefined],
      ['west', 'p2', 'B0', undefined, 'W3'],
    ]);
    expect(state.tally).toEqual({ pass: 1, fail: 0, aborted: 1, open: 1 });
    expect(state.recentFailures.map((f) => [f.station, f.serial])).toEqual([
      ['north', 'N1'],
      ['east', 'S1'],
    ]);
    expect(state.devicesPerMinute).toBe(4);
    expect(state.headSeq).toBe(2 + 7 + 9);
  });
});

describe('verify monitor', () => {
  it('verifies the chain off the event loop and reports the head it reached', async () => {
    const file = createConsoleFixture();
    const monitor = new VerifyMonitor(file);
    expect(monitor.status(1)).toMatchObject({ ok: null, running: true });
    await monitor.settle();
    const status = monitor.status(1);
    expect(status.ok).toBe(true);
    expect(status.checkedSeq).toBeGreaterThan(10);
    expect(status.running).toBe(false);
    await monitor.stop();
  });
});
