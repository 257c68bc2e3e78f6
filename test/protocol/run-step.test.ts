import { afterEach, describe, expect, it } from 'vitest';
import { runStep, type DialogueContext, type TraceEntry } from '../../src/protocol/run-step.js';
import { equalInConstantTime } from '../../src/protocol/constant-time.js';
import { openSerialTransport } from '../../src/transport/serial-port.js';
import type { LineTransport } from '../../src/transport/line-transport.js';
import { manualClock, type ManualClock } from '../support/manual-clock.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';

const settings = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, lineEnding: 'lf' } as const;
const ready = havePrerequisites('protocol tests over pseudo-terminals', SOCAT);

/** A scripted device: answers each received line with whatever `reply` returns (raw bytes, line endings included). */
function respond(device: LineTransport, reply: (line: string, n: number) => string | undefined): void {
  void (async () => {
    for (let n = 0; ; n++) {
      const line = await device.readLine(60_000).catch(() => undefined);
      if (line === undefined) return;
      const out = reply(line, n);
      if (out !== undefined) await device.writeRaw(out).catch(() => undefined);
    }
  })();
}

describe.skipIf(!ready)('runStep', () => {
  let pair: PtyPair | undefined;
  const open: LineTransport[] = [];
  afterEach(async () => {
    for (const t of open.splice(0)) await t.close();
    await pair?.close();
  });

  /**
   * The host's time limits run on a clock that moves only when a test advances it: a reply is never late however
   * slow the machine, and a limit runs out exactly when a test says.
   */
  async function setup(extra: Partial<DialogueContext> = {}): Promise<{
    ctx: DialogueContext;
    device: LineTransport;
    trace: TraceEntry[];
    clock: ManualClock;
    received: () => Promise<void>;
  }> {
    pair = await openPtyPair();
    const clock = manualClock();
    const host = await openSerialTransport(pair.host, settings, clock);
    const device = await openSerialTransport(pair.device, settings);
    open.push(host, device);
    const trace: TraceEntry[] = [];
    let heard: (() => void) | undefined;
    const onTrace = (e: TraceEntry): void => {
      trace.push(e);
      if (e.direction === '<') heard?.();
    };
    return {
      ctx: { transport: host, echo: false, values: {}, secrets: [], trace: onTrace, ...extra },
      device,
      trace,
      clock,
      /** Resolves when the host next reads a line. */
      received: () => new Promise<void>((resolve) => (heard = resolve)),
    };
  }

  it("a step's own prompt (a login's unterminated `Password: `) ends it instead of the console's", async () => {
    const { ctx, device, trace } = await setup({ prompt: /# $/ });
    respond(device, (line) =>
      line === 'login root' ? 'Password: ' : line === 'pw-1' ? '\nwelcome\n~ # ' : undefined,
    );
    const asked = await runStep(
      ctx,
      { send: 'login root', prompt: '[Pp]assword: $', timeoutMs: 2000, retries: 0 },
      'loginCheck',
    );
    expect(asked).toEqual({ ok: true, captures: {} });
    const ctxWithSecret = { ...ctx, values: { password: 'pw-1' }, secrets: ['pw-1'] };
    const shell = await runStep(
      ctxWithSecret,
      { send: '{{password}}', fail: 'Login incorrect', timeoutMs: 2000, retries: 0 },
      'loginCheck',
    );
    expect(shell).toEqual({ ok: true, captures: {} });
    expect(JSON.stringify(trace)).not.toContain('pw-1');
  });

  it('a refused login is a FAIL with the loginCheck default reason', async () => {
    const { ctx, device } = await setup({ prompt: /# $/ });
    respond(device, (line) => (line === 'login root' ? 'Password: ' : '\nLogin incorrect\nvm login: '));
    await runStep(
      ctx,
      { send: 'login root', prompt: '[Pp]assword: $', timeoutMs: 2000, retries: 0 },
      'loginCheck',
    );
    const r = await runStep(
      ctx,
      { send: 'wrong', fail: 'Login incorrect', timeoutMs: 2000, retries: 0 },
      'loginCheck',
    );
    expect(r).toEqual({ ok: false, reason: 'login-refused', detail: 'device said: Login incorrect' });
  });

  it('matches expect and returns named captures, skipping unrelated chatter', async () => {
    const { ctx, device } = await setup();
    respond(device, () => 'boot: dram ok\nOK ID serial=KL-1 nonce=00ff\n');
    const r = await runStep(
      ctx,
      {
        send: 'ID',
        expect: '^OK ID serial=(?<serial>\\S+) nonce=(?<nonce>\\S+)$',
        timeoutMs: 300,
        retries: 0,
      },
      'identify',
    );
    expect(r).toEqual({ ok: true, captures: { serial: 'KL-1', nonce: '00ff' } });
  });

  it('ends with the profile reason when fail matches', async () => {
    const { ctx, device } = await setup();
    respond(device, () => 'ERR 50 commit-failed flash\n');
    const r = await runStep(
      ctx,
      {
        send: 'COMMIT',
        expect: '^OK COMMIT$',
        fail: '^ERR',
        failReason: 'commit-failed',
        timeoutMs: 300,
        retries: 3,
      },
      'commit',
    );
    expect(r).toMatchObject({ ok: false, reason: 'commit-failed' });
  });

  it('retries after a timeout and succeeds on the second try', async () => {
    const { ctx, device, clock } = await setup();
    respond(device, (_l, n) => (n === 0 ? undefined : 'OK COMMIT\n'));
    const pending = runStep(
      ctx,
      { send: 'COMMIT', expect: '^OK COMMIT$', timeoutMs: 200, retries: 1 },
      'commit',
    );
    await clock.waiting(); // the host waits for a reply to the first COMMIT, which never comes
    clock.advance(200);
    expect((await pending).ok).toBe(true);
  });

  it('tells garbage from silence', async () => {
    const { ctx, device, clock, received } = await setup();
    respond(device, () => '\x00\x13\xfe\xff\n');
    const heard = received();
    const r = runStep(ctx, { send: 'LOCK', expect: '^OK LOCK$', timeoutMs: 200, retries: 0 }, 'lock');
    await heard; // the noise is in
    await clock.waiting();
    clock.advance(200);
    expect(await r).toMatchObject({ ok: false, reason: 'garbage' });
    const quiet = await setupAgain();
    const s = runStep(quiet.ctx, { send: 'LOCK', expect: '^OK LOCK$', timeoutMs: 100, retries: 0 }, 'lock');
    await quiet.clock.waiting();
    quiet.clock.advance(100);
    expect(await s).toMatchObject({ ok: false, reason: 'timeout' });
  });

  async function setupAgain(): ReturnType<typeof setup> {
    for (const t of open.splice(0)) await t.close();
    await pair?.close();
    return setup();
  }

  it('drops the echo, waits for the prompt, and redacts the secret in the trace (echo included)', async () => {
    const { ctx, device, trace } = await setup({ echo: true, prompt: /^=> $/, secrets: ['s3cretPassw0rd'] });
    respond(device, (line) => `${line}\r\n=> `);
    const r = await runStep(
      { ...ctx, values: { value: "'s3cretPassw0rd'" } },
      { send: 'env set credline_pw {{value}}', fail: '^## Error', timeoutMs: 300, retries: 0 },
      'write',
    );
    expect(r).toEqual({ ok: true, captures: {} });
    const text = JSON.stringify(trace);
    expect(text).not.toContain('s3cretPassw0rd');
    expect(text).toContain('[redacted]');
    expect(trace.map((t) => t.direction)).toEqual(['>', '<']);
  });

  it('reports a vanished port as disconnected, without retrying', async () => {
    const { ctx } = await setup();
    const pending = runStep(ctx, { send: 'COMMIT', expect: '^OK', timeoutMs: 300, retries: 5 }, 'commit');
    await pair?.close();
    expect(await pending).toMatchObject({ ok: false, reason: 'disconnected' });
  });
});

describe('equalInConstantTime', () => {
  it('compares exactly', () => {
    expect(equalInConstantTime('abc', 'abc')).toBe(true);
    expect(equalInConstantTime('abc', 'abd')).toBe(false);
    expect(equalInConstantTime('abc', 'abcd')).toBe(false);
    expect(equalInConstantTime('', '')).toBe(true);
  });
});
