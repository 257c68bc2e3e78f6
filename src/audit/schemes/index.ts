/** Every known broken vendor scheme the auditor replays, in the reference's order. */
import type { KnownScheme } from './known-scheme.js';
import { upcTc7200 } from './upc-tc7200.js';
import { ubeeEvw3226 } from './ubee-evw3226.js';
import { thomsonSpeedtouch } from './thomson-speedtouch.js';
import { arcadyanEasybox } from './arcadyan-easybox.js';
import { belkin } from './belkin.js';
import { pirelliFastweb } from './pirelli-fastweb.js';
import { aliceAgpf } from './alice-agpf.js';
import { eircom } from './eircom.js';
import { dlink } from './dlink.js';
import { tplink } from './tplink.js';
import { comtrendJazztel } from './comtrend-jazztel.js';

export type { KnownScheme, Identifiers } from './known-scheme.js';

export const KNOWN_SCHEMES: readonly KnownScheme[] = [
  upcTc7200,
  ubeeEvw3226,
  thomsonSpeedtouch,
  arcadyanEasybox,
  belkin,
  pirelliFastweb,
  aliceAgpf,
  eircom,
  dlink,
  tplink,
  comtrendJazztel,
];

/** The first scheme (and candidate) that gives `password` for this device, compared case-insensitively. */
export function matchKnownScheme(
  password: string,
  ids: Readonly<Record<string, string | undefined>>,
  schemes: readonly KnownScheme[] = KNOWN_SCHEMES,
): KnownScheme | null {
  const folded = password.toLowerCase();
  for (const scheme of schemes) {
    for (const candidate of scheme.candidates(ids)) if (candidate.toLowerCase() === folded) return scheme;
  }
  return null;
}
