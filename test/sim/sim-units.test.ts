import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AgentUnit } from '../../src/sim/agent-unit.js';
import { faultFor, parseFaults } from '../../src/sim/faults.js';
import { createRandom } from '../../src/sim/random.js';
import type { SimAction } from '../../src/sim/sim-unit.js';
import { parseCommands, UBootUnit } from '../../src/sim/uboot-unit.js';

const identity = {
  serial: 'SIM1-000001',
  mac: '02:00:00:00:00:01',
  firmware: '1.4.2',
  nonce: '0123456789abcdef',
};
const timing = { latencyMs: 0, commitMs: 0 };
const text = (actions: SimAction[]): string =>
  actions.map((a) => (a.kind === 'write' ? a.text : `<${a.kind}>`)).join('');
const verifier = `pbkdf2-sha256:100000:${'ab'.repeat(16)}:${'cd'.repeat(32)}`;

describe('AgentUnit (credline-agent/1)', () => {
  it('runs the protocol transcript of PROTOCOL.md', () => {
    const unit = new AgentUnit(identity, undefined, timing);
    expect(text(unit.handle('ID'))).toBe(
      `OK ID proto=1 serial=SIM1-000001 mac=02:00:00:00:00:01 fw=1.4.2 nonce=0123456789abcdef state=factory\n`,
    );
    expect(text(unit.handle(`SETVER ${verifier}`))).toBe('OK SETVER\n');
    const challenge = 'a'.repeat(32);
    const digest = createHash('sha256').update(`${challenge}:${verifier}`).digest('hex');
    expect(text(unit.handle(`VERIFY ${challenge}`))).toBe(`OK VERIFY ${digest}\n`);
    expect(text(unit.handle('COMMIT'))).toBe('OK COMMIT\n');
    expect(text(unit.handle('LOCK'))).toBe('OK LOCK\n');
    expect(text(unit.handle(`SETVER ${verifier}`))).toBe('ERR 20 locked\n');
    expect(text(unit.handle('ID'))).toContain('state=locked');
    expect(text(unit.handle('RESULT PASS ok'))).toBe('OK RESULT\n<swap>');
  });
  it('takes the serial SETSERIAL gives it when it arrived blank, and only then', () => {
    const blank = new AgentUnit({ ...identity, serial: '' }, undefined, timing);
    expect(text(blank.handle('ID'))).toContain(' serial= mac=');
    expect(text(blank.handle('SETSERIAL KL1-000003 x'))).toBe('ERR 11 bad-argument\n');
    expect(text(blank.handle('SETSERIAL KL1-000003'))).toBe('OK SETSERIAL\n');
    expect(text(blank.handle('ID'))).toContain(' serial=KL1-000003 mac=');
    expect(text(blank.handle('SETSERIAL KL1-000004'))).toBe('ERR 21 serial-set\n');
    const numbered = new AgentUnit({ ...identity }, undefined, timing);
    expect(text(numbered.handle('SETSERIAL KL1-000004'))).toBe('ERR 21 serial-set\n');
  });
  it('answers errors with stable codes', () => {
    const unit = new AgentUnit(identity, undefined, timing);
    expect(text(unit.handle('FROB'))).toBe('ERR 10 unknown-command\n');
    expect(text(unit.handle('SETVER not-a-verifier'))).toBe('ERR 11 bad-argument\n');
    expect(text(unit.handle('COMMIT'))).toBe('ERR 30 nothing-stored\n');
  });
  it('injects faults: nak, wrong read-back, commit failure, disconnect', () => {
    expect(text(new AgentUnit(identity, 'nak', timing).handle(`SETVER ${verifier}`))).toBe(
      'ERR 11 bad-argument\n',
    );
    const wrong = new AgentUnit(identity, 'wrong-readback', timing);
    wrong.handle(`SETVER ${verifier}`);
    const challenge = 'b'.repeat(32);
    expect(text(wrong.handle(`VERIFY ${challenge}`))).not.toContain(
      createHash('sha256').update(`${challenge}:${verifier}`).digest('hex'),
    );
    const flash = new AgentUnit(identity, 'commit-fail', timing);
    flash.handle(`SETVER ${verifier}`);
    expect(text(flash.handle('COMMIT'))).toMatch(/^ERR 50 commit-failed/);
    expect(flash.state.committed).toBe(false);
    expect(text(new AgentUnit(identity, 'disconnect', timing).handle(`SETVER ${verifier}`))).toBe(
      'OK SE<pulled>',
    );
  });
});

describe('UBootUnit (hush subset)', () => {
  it('splits on ; outside quotes: an unquoted value runs a second command, a quoted one does not', () => {
    expect(parseCommands('env set pw a;echo INJECTED', new Map())).toEqual([
      ['env', 'set', 'pw', 'a'],
      ['echo', 'INJECTED'],
    ]);
    expect(parseCommands("env set pw 'a;echo $x #y'", new Map([['x', 'X']]))).toEqual([
      ['env', 'set', 'pw', 'a;echo $x #y'],
    ]);
    expect(
      parseCommands(
        'echo $x ${y}z # comment',
        new Map([
          ['x', '1'],
          ['y', '2'],
        ]),
      ),
    ).toEqual([['echo', '1', '2z']]);
  });
  it('echoes, prints the prompt, reads serial#, stores and saves', () => {
    const unit = new UBootUnit(identity, undefined, timing);
    expect(text(unit.handle('printenv serial#'))).toBe('printenv serial#\r\nserial#=SIM1-000001\r\n=> ');
    expect(text(unit.handle("env set credline_pw 'Ab3;$x'"))).toBe("env set credline_pw 'Ab3;$x'\r\n=> ");
    expect(text(unit.handle('printenv credline_pw'))).toContain('credline_pw=Ab3;$x\r\n');
    expect(text(unit.handle('saveenv'))).toContain('OK\r\n=> <swap>');
    expect(text(unit.handle('printenv nothere'))).toContain('## Error: "nothere" not defined');
  });
  it('fails saveenv as U-Boot does when the flash write fails', () => {
    expect(text(new UBootUnit(identity, 'commit-fail', timing).handle('saveenv'))).toContain('Failed (-5)');
  });
});

describe('fault plans', () => {
  it('pins faults to units and ports, and refuses unknown kinds', () => {
    const plan = parseFaults(['nak@3', 'stall@2:1,garbage@1:2'], 0);
    const never = (): number => 0.99;
    expect(faultFor(plan, 1, 3, never)).toBe('nak');
    expect(faultFor(plan, 2, 1, never)).toBe('stall');
    expect(faultFor(plan, 1, 2, never)).toBe('garbage');
    expect(faultFor(plan, 1, 1, never)).toBeUndefined();
    expect(() => parseFaults(['melt@1'], 0)).toThrow(/unknown fault "melt@1"/);
  });
  it('refuses a kind that names no unit when there is no rate (it would never happen)', () => {
    expect(() => parseFaults(['wrong-readback'], 0)).toThrow(
      /fault "wrong-readback" names no unit and there is no --fault-rate.*wrong-readback@N.*wrong-readback@P:N.*--fault-rate R/,
    );
    expect(() => parseFaults(['nak@2,stall'], 0)).toThrow(/fault "stall" names no unit/);
    expect(parseFaults(['wrong-readback'], 0.5).pool).toEqual(['wrong-readback']);
  });
  it('draws faults by rate from a seeded generator, repeatably', () => {
    const plan = parseFaults(['nak', 'stall'], 0.3);
    const draw = (seed: number): Array<string | undefined> => {
      const r = createRandom(seed);
      return Array.from({ length: 200 }, (_, i) => faultFor(plan, 1, i + 1, r));
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    const hits = a.filter(Boolean).length;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);
    expect(new Set(a.filter(Boolean))).toEqual(new Set(['nak', 'stall']));
  });
});
