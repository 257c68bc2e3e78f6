/**
 * A unit running credline-agent/1 firmware (provisioning/PROTOCOL.md), with optional injected faults.
 */
import { createHash } from 'node:crypto';
import type { FaultKind } from './faults.js';
import type { SimAction, SimIdentity, SimTiming, SimUnit } from './sim-unit.js';

const VERIFIER = /^pbkdf2-sha256:\d{1,8}:[0-9a-f]{32,128}:[0-9a-f]{64}$/;
const PASSWORD = /^[\x21-\x7e]{4,64}$/;

export class AgentUnit implements SimUnit {
  readonly state: { stored?: string; committed: boolean; locked: boolean } = {
    committed: false,
    locked: false,
  };
  private dropped = false;
  private delayed = false;
  private stalled = false;

  constructor(
    readonly identity: SimIdentity,
    readonly fault: FaultKind | undefined,
    private readonly timing: SimTiming,
  ) {}

  boot(): SimAction[] {
    return [];
  }

  handle(raw: string): SimAction[] {
    const line = raw.trim();
    if (line.length === 0) return [];
    const [command = '', ...args] = line.split(' ');
    if (command === 'RESULT') return [this.reply(`OK RESULT`), { kind: 'swap' }];
    if (this.fault === 'stall' && command !== 'ID') this.stalled = true;
    if (this.stalled) return [];
    if (line.length > 255) return [this.reply('ERR 11 bad-argument line too long')];
    switch (command) {
      case 'ID':
        return [this.reply(this.identify())];
      case 'SETSERIAL':
        return this.setSerial(args);
      case 'SETVER':
      case 'SETPW':
        return this.store(command, args);
      case 'VERIFY':
        return this.verify(args);
      case 'COMMIT':
        return this.commit();
      case 'LOCK':
        if (this.state.locked) return [this.reply('ERR 20 locked')];
        this.state.locked = true;
        return [this.reply('OK LOCK')];
      default:
        return [this.reply('ERR 10 unknown-command')];
    }
  }

  private identify(): string {
    const { serial, mac, firmware, nonce } = this.identity;
    return `OK ID proto=1 serial=${serial} mac=${mac} fw=${firmware} nonce=${nonce} state=${this.state.locked ? 'locked' : 'factory'}`;
  }

  /** A unit that arrived blank takes the serial the station assigns; from then on ID reports it. */
  private setSerial(args: string[]): SimAction[] {
    if (this.state.locked) return [this.reply('ERR 20 locked')];
    if (this.identity.serial !== '') return [this.reply('ERR 21 serial-set')];
    const serial = args[0] ?? '';
    if (args.length !== 1 || !/^[\x21-\x7e]{1,64}$/.test(serial)) return [this.reply('ERR 11 bad-argument')];
    this.identity.serial = serial;
    return [this.reply('OK SETSERIAL')];
  }

  private store(command: string, args: string[]): SimAction[] {
    if (this.state.locked) return [this.reply('ERR 20 locked')];
    const value = args[0] ?? '';
    const ok = args.length === 1 && (command === 'SETVER' ? VERIFIER.test(value) : PASSWORD.test(value));
    if (!ok) return [this.reply('ERR 11 bad-argument')];
    switch (this.fault) {
      case 'nak':
        return [this.reply('ERR 11 bad-argument')];
      case 'garbage':
        return [this.reply('\x00\x1b[?\xff\xfe\x07\x13')];
      case 'disconnect':
        this.state.stored = value;
        return [{ kind: 'write', text: 'OK SE', delayMs: this.timing.latencyMs }, { kind: 'pulled' }];
      case 'drop':
        if (!this.dropped) {
          this.dropped = true;
          this.state.stored = value;
          return [];
        }
        break;
      default:
        break;
    }
    this.state.stored = value;
    this.state.committed = false;
    return [this.reply(`OK ${command}`)];
  }

  private verify(args: string[]): SimAction[] {
    const challenge = args[0] ?? '';
    if (!/^[0-9a-f]{32}$/.test(challenge)) return [this.reply('ERR 11 bad-argument')];
    if (this.state.stored === undefined) return [this.reply('ERR 30 nothing-stored')];
    const stored = this.fault === 'wrong-readback' ? `${this.state.stored}x` : this.state.stored;
    const digest = createHash('sha256').update(`${challenge}:${stored}`, 'utf8').digest('hex');
    const late = this.fault === 'delay' && !this.delayed;
    if (late) this.delayed = true;
    return [this.reply(`OK VERIFY ${digest}`, late ? 2500 : 0)];
  }

  private commit(): SimAction[] {
    if (this.state.locked) return [this.reply('ERR 20 locked')];
    if (this.state.stored === undefined) return [this.reply('ERR 30 nothing-stored')];
    const extra = this.fault === 'slow-commit' ? 4000 : this.timing.commitMs;
    if (this.fault === 'commit-fail')
      return [this.reply('ERR 50 commit-failed nand page 0x3c0 ecc error', extra)];
    this.state.committed = true;
    return [this.reply('OK COMMIT', extra)];
  }

  private reply(text: string, extraDelayMs = 0): SimAction {
    return { kind: 'write', text: `${text}\n`, delayMs: this.timing.latencyMs + extraDelayMs };
  }
}
