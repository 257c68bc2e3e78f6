/**
 * Reserve mode: a serial is reserved by one station, a password (fingerprint under a key id) by one serial; the
 * second asker is refused with the holder named, even when both ask at the same moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCentral, reserveUnit, type CentralClient } from '../../src/central/index.js';
import { fingerprinter, passwordOf, TEST_KEY_ID } from '../evidence/helpers.js';
import { havePostgresServer } from '../support/postgres.js';
import { startCentral, type CentralFixture } from './helpers.js';

const ready = havePostgresServer('central store tests');

describe.skipIf(!ready)('reserving units centrally', () => {
  let central: CentralFixture;
  let line1: CentralClient;
  let line2: CentralClient;
  beforeAll(async () => {
    central = await startCentral();
    line1 = await connectCentral(central.station('line1'));
    line2 = await connectCentral(central.station('line2'));
  });
  afterAll(async () => {
    await line1?.end();
    await line2?.end();
    central?.cluster.destroy();
  });

  const unit = (stationId: string, serial: string, fingerprint = fingerprinter(passwordOf(serial))) => ({
    stationId,
    batchId: `B-${stationId}`,
    profileId: 'acme-cam',
    serial,
    keyId: TEST_KEY_ID,
    fingerprint,
  });

  it('grants the first station, grants it again, and refuses the second naming the holder', async () => {
    expect(await reserveUnit(line1, unit('line1', 'RV-1'))).toEqual({ granted: true });
    expect(await reserveUnit(line1, unit('line1', 'RV-1'))).toEqual({ granted: true });
    const refused = await reserveUnit(line2, unit('line2', 'RV-1'));
    expect(refused).toMatchObject({
      granted: false,
      clash: 'serial',
      holderStation: 'line1',
      holderBatch: 'B-line1',
    });
    expect(refused.granted === false && refused.message).toMatch(
      /serial RV-1 \(profile acme-cam\) is reserved by station line1/,
    );
  });

  it('refuses a password already reserved for another serial', async () => {
    const fp = fingerprinter(passwordOf('RV-2'));
    expect(await reserveUnit(line1, unit('line1', 'RV-2', fp))).toEqual({ granted: true });
    expect(await reserveUnit(line2, unit('line2', 'RV-3', fp))).toMatchObject({
      granted: false,
      clash: 'fingerprint',
      holderSerial: 'RV-2',
    });
  });

  it('grants exactly one of two stations asking for one serial at once', async () => {
    const serialsAsked = Array.from({ length: 50 }, (_, i) => `RACE-${i}`);
    const askAll = async (client: CentralClient, stationId: string) => {
      const granted: boolean[] = [];
      for (const serial of serialsAsked)
        granted.push((await reserveUnit(client, unit(stationId, serial))).granted);
      return granted;
    };
    const [one, two] = await Promise.all([askAll(line1, 'line1'), askAll(line2, 'line2')]);
    serialsAsked.forEach((_, i) => expect([one?.[i], two?.[i]].filter(Boolean)).toHaveLength(1));
  });

  it('refuses an unregistered station', async () => {
    await expect(reserveUnit(line1, unit('nobody', 'RV-9'))).rejects.toMatchObject({ code: 'CL003' });
  });
});
