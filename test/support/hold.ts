/**
 * Holding a unit in the fixture for as long as a test needs: the simulator's process is stopped (SIGSTOP) at the
 * moment the station sends a command, and continued (SIGCONT) on the event the test waits for. With the station
 * in-process, the station's trace callback runs before the command is written, so the simulator cannot answer
 * first. The profile's step limits are lengthened so that the held step cannot run out while held.
 */
import type { ChildProcess } from 'node:child_process';
import { loadProfile } from '../../src/profiles/load-profile.js';
import type { LoadedProfile } from '../../src/profiles/profile-types.js';

export interface Hold {
  /** Stops the process (once); a no-op once released. */
  hold(): void;
  /** Continues it. */
  release(): void;
  readonly held: boolean;
}

export function holdable(child: ChildProcess): Hold {
  let held = false;
  let released = false;
  return {
    hold() {
      if (held || released) return;
      held = true;
      child.kill('SIGSTOP');
    },
    release() {
      released = true;
      if (!held) return;
      held = false;
      child.kill('SIGCONT');
    },
    get held() {
      return held;
    },
  };
}

type Phase = 'write' | 'verify' | 'commit' | 'lock' | 'report';

/**
 * The profile with the steps of `phases` (default: every step after identification) allowed 10 minutes, the
 * schema's most: a unit held there, or slow there on purpose, never runs out of time however loaded the machine.
 */
export function patientProfile(
  idOrPath: string,
  phases: readonly Phase[] = ['write', 'verify', 'commit', 'lock', 'report'],
): LoadedProfile {
  const loaded = loadProfile(idOrPath);
  const patient = <T extends { timeoutMs: number }>(phase: Phase, step: T): T =>
    phases.includes(phase) ? { ...step, timeoutMs: 600_000 } : step;
  const { dialogue } = loaded.profile;
  return {
    ...loaded,
    source: `${loaded.source} (patient: ${phases.join(', ')})`,
    profile: {
      ...loaded.profile,
      dialogue: {
        ...dialogue,
        write: dialogue.write.map((step) => patient('write', step)),
        verify: patient('verify', dialogue.verify),
        commit: dialogue.commit.map((step) => patient('commit', step)),
        lock: dialogue.lock.map((step) => patient('lock', step)),
        ...(dialogue.report ? { report: patient('report', dialogue.report) } : {}),
      },
    },
  };
}
