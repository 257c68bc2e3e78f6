/**
 * Which processes hold a serial port, so that "port busy" can say who: a terminal program left open, another
 * station, a stray simulator. On Linux, the owners of a lock on it (/proc/locks: node-serialport and most terminal
 * programs lock the port), else every process with it open (/proc/<pid>/fd).
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';

export interface PortHolder {
  pid: number;
  /** The command line, shortened (or the process name). */
  command: string;
}

/**
 * The processes other than this one with `path` open; empty where /proc cannot tell (another OS, no permission).
 *
 * @example portHolders('/dev/ttyUSB0') // [{ pid: 4242, command: 'minicom -D /dev/ttyUSB0' }]
 */
export function portHolders(path: string): PortHolder[] {
  const lockers = lockOwners(path);
  if (lockers.length > 0) return lockers.map((pid) => ({ pid, command: commandOf(String(pid)) }));
  let target: string;
  let pids: string[];
  try {
    target = realpathSync(path);
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const holders: PortHolder[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    const holds = fds.some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === target;
      } catch {
        return false;
      }
    });
    if (holds) holders.push({ pid: Number(pid), command: commandOf(pid) });
  }
  return holders;
}

/** The pids holding a lock on the file (lines of /proc/locks: `1: FLOCK ADVISORY WRITE <pid> <maj>:<min>:<inode> …`). */
function lockOwners(path: string): number[] {
  try {
    const { dev, ino } = statSync(path);
    const major = (dev >> 8) & 0xfff;
    const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    const pids = new Set<number>();
    for (const line of readFileSync('/proc/locks', 'utf8').split('\n')) {
      const m = /^\d+: \S+\s+\S+\s+\S+\s+(\d+) ([0-9a-f]+):([0-9a-f]+):(\d+) /.exec(line);
      if (!m) continue;
      const [, pid, maj, min, inode] = m;
      if (parseInt(maj ?? '', 16) === major && parseInt(min ?? '', 16) === minor && Number(inode) === ino) {
        if (Number(pid) !== process.pid) pids.add(Number(pid));
      }
    }
    return [...pids];
  } catch {
    return [];
  }
}

function commandOf(pid: string): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const text = argv.join(' ').replace(/[^\x20-\x7e]/g, '?');
    if (text) return text.length > 80 ? `${text.slice(0, 79)}…` : text;
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}
