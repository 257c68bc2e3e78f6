/**
 * The exit status a command reports when it finished its work but some of it failed (exit 1: a device, audit or
 * verification failed). Errors that stop a command are thrown instead and mapped in main.ts.
 */
let worst = 0;

export function reportExitCode(code: number): void {
  worst = Math.max(worst, code);
}

export function exitCodeOf(): number {
  return worst;
}

export function resetExitCode(): void {
  worst = 0;
}
