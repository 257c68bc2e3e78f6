/** `credline ports`: the machine's serial ports as udev describes them, and a clear word when udev is missing. */
import { describe, expect, it } from 'vitest';
import { havePrerequisites, UDEVADM } from '../support/prerequisites.js';
import { runCli } from './run-cli.js';

const ready = havePrerequisites('credline ports (serial port listing)', UDEVADM);

describe('credline ports', () => {
  it.skipIf(!ready)('lists the ports as JSON (each with its path) and as one text line per port', () => {
    const json = runCli(['ports', '--format', 'json']);
    expect(json.status).toBe(0);
    const ports = JSON.parse(json.stdout) as Array<{ path: string }>;
    expect(Array.isArray(ports)).toBe(true);
    for (const port of ports) expect(port.path).toMatch(/^\/dev\//);
    const text = runCli(['ports']);
    expect(text.status).toBe(0);
    const lines = text.stdout.trim().split('\n');
    if (ports.length === 0) expect(text.stdout).toContain('no serial ports found');
    else expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(ports.map((p) => p.path));
  });

  it('says how to install udev when udevadm is missing (exit 2, no stack trace)', () => {
    const result = runCli(['ports'], { env: { PATH: '/nonexistent' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('needs udevadm (sudo apt-get install -y udev)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
