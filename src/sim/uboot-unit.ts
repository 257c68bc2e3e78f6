/**
 * A U-Boot-like console (hush shell subset): echo, the `=> ` prompt, `;` separating commands, single quotes, `$var`
 * expansion and `#` comments, `printenv`, `setenv`/`env set`, `saveenv`/`env save`, `echo`. Enough to show why
 * quoting matters (an unquoted `;` runs a second command) and to rehearse the u-boot profile without a board.
 */
import type { FaultKind } from './faults.js';
import type { SimAction, SimIdentity, SimTiming, SimUnit } from './sim-unit.js';

const PROMPT = '=> ';

export class UBootUnit implements SimUnit {
  readonly state: { stored?: string; committed: boolean; locked: boolean } = {
    committed: false,
    locked: false,
  };
  private readonly env = new Map<string, string>();
  private stalled = false;
  /** Commands run, in order (tests use this to prove an injection did or did not happen). */
  readonly executed: string[][] = [];

  constructor(
    readonly identity: SimIdentity,
    readonly fault: FaultKind | undefined,
    private readonly timing: SimTiming,
    private readonly variable = 'credline_pw',
  ) {
    this.env.set('serial#', identity.serial);
    this.env.set('ethaddr', identity.mac);
    this.env.set('ver', `U-Boot ${identity.firmware} (credline sim)`);
  }

  boot(): SimAction[] {
    return [
      this.write(
        `\r\n\r\nU-Boot ${this.identity.firmware} (credline sim)\r\n\r\nDRAM:  128 MiB\r\nIn:    serial\r\n${PROMPT}`,
      ),
    ];
  }

  handle(line: string): SimAction[] {
    if (this.stalled) return [];
    let out = `${line}\r\n`; // echo
    let swap = false;
    let delayMs = this.timing.latencyMs;
    for (const words of parseCommands(line, this.env)) {
      this.executed.push(words);
      const [cmd = '', ...args] = words;
      const name = cmd === 'env' ? `env ${args.shift() ?? ''}` : cmd;
      switch (name) {
        case 'printenv':
        case 'env print':
          if (args.length === 0) out += [...this.env].map(([k, v]) => `${k}=${v}\r\n`).join('');
          for (const key of args) {
            const value = this.env.get(key);
            out += value === undefined ? `## Error: "${key}" not defined\r\n` : `${key}=${value}\r\n`;
          }
          if (this.fault === 'stall' && args[0] === 'serial#') this.stalled = true;
          break;
        case 'setenv':
        case 'env set': {
          const [key, ...rest] = args;
          if (!key) {
            out += 'Usage:\r\nsetenv name value ...\r\n';
            break;
          }
          if (key === 'serial#' && this.env.has(key)) {
            out += `## Error: Can't overwrite "serial#"\r\n## Error inserting "serial#" variable, errno=1\r\n`;
            break;
          }
          if (rest.length === 0) this.env.delete(key);
          else
            this.env.set(
              key,
              this.fault === 'wrong-readback' && key === this.variable
                ? `${rest.join(' ')}x`
                : rest.join(' '),
            );
          if (key === this.variable) {
            this.state.stored = this.env.get(key);
            this.state.committed = false;
          }
          break;
        }
        case 'saveenv':
        case 'env save':
          swap = true;
          delayMs += this.fault === 'slow-commit' ? 4000 : this.timing.commitMs;
          if (this.fault === 'commit-fail') out += 'Saving Environment to Flash... Failed (-5)\r\n';
          else {
            out += 'Saving Environment to Flash... Erasing Flash...Writing to Flash... done\r\nOK\r\n';
            this.state.committed = true;
          }
          break;
        case 'echo':
          out += `${args.join(' ')}\r\n`;
          break;
        default:
          out += `Unknown command '${cmd}' - try 'help'\r\n`;
      }
    }
    const actions: SimAction[] = [this.write(out + PROMPT, delayMs)];
    if (swap) actions.push({ kind: 'swap' });
    return actions;
  }

  private write(text: string, delayMs = this.timing.latencyMs): SimAction {
    return { kind: 'write', text, delayMs };
  }
}

/**
 * Splits a command line as U-Boot's hush shell does for the cases that matter here: `;` ends a command, white space
 * separates words, '...' is literal, `$name`/`${name}` expand outside single quotes, `#` at a word start comments out
 * the rest.
 *
 * @example parseCommands("env set pw a;echo INJECTED", new Map()) // [['env','set','pw','a'], ['echo','INJECTED']]
 */
export function parseCommands(line: string, env: ReadonlyMap<string, string>): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (ch === "'") {
      const close = line.indexOf("'", i + 1);
      const end = close === -1 ? line.length : close;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '$') {
      const m = /^\$(?:\{([^}]*)\}|([A-Za-z0-9_#]+))/.exec(line.slice(i));
      if (m) {
        word += env.get(m[1] ?? m[2] ?? '') ?? '';
        inWord = true;
        i += m[0].length - 1;
      } else {
        word += ch;
        inWord = true;
      }
    } else if (ch === '#' && !inWord) {
      break;
    } else if (ch === ';') {
      endWord();
      if (words.length > 0) commands.push(words);
      words = [];
    } else if (ch === ' ' || ch === '\t') {
      endWord();
    } else {
      word += ch;
      inWord = true;
    }
  }
  endWord();
  if (words.length > 0) commands.push(words);
  return commands;
}
