/**
 * The central station registry: which station ids may push, and the Ed25519 public key their checkpoints must be
 * signed with. Registered by the owner; never changed (the table is append-only).
 */
import { usageError } from '../errors/credline-error.js';
import { SCHEMA } from './chain-sql.js';
import { centralError, connectCentral, type CentralTarget } from './connect.js';
import { assertCurrentSchema } from './init.js';

export interface CentralStation {
  stationId: string;
  publicKey: string;
  label: string | null;
  registeredAt: string;
}

/** Registers a station, or confirms it when it is registered with the same key already. */
export async function registerStation(
  target: CentralTarget,
  station: { stationId: string; publicKey: string; label?: string | undefined },
): Promise<{ station: CentralStation; added: boolean }> {
  if (!/^[0-9a-f]{64}$/.test(station.publicKey))
    throw usageError(
      'CENTRAL_PUBLIC_KEY',
      `"publicKey" expected 64 lowercase hex digits, got ${station.publicKey.length} characters`,
    );
  const client = await connectCentral(target);
  try {
    await assertCurrentSchema(client, target);
    const inserted = await client.query(
      `INSERT INTO ${SCHEMA}.stations (station_id, public_key, label) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [station.stationId, station.publicKey, station.label ?? null],
    );
    const known = (await listStationsWith(client)).find(
      (s) => s.stationId === station.stationId,
    ) as CentralStation;
    if (known.publicKey !== station.publicKey)
      throw usageError(
        'CENTRAL_STATION_KEY',
        `station ${station.stationId} is registered with public key ${known.publicKey}, not ${station.publicKey}`,
      );
    return { station: known, added: inserted.rowCount === 1 };
  } catch (error) {
    throw centralError(target, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function listStations(target: CentralTarget): Promise<CentralStation[]> {
  const client = await connectCentral(target);
  try {
    await assertCurrentSchema(client, target);
    return await listStationsWith(client);
  } catch (error) {
    throw centralError(target, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function listStationsWith(
  client: Awaited<ReturnType<typeof connectCentral>>,
): Promise<CentralStation[]> {
  const rows = await client.query<{
    station_id: string;
    public_key: string;
    label: string | null;
    registered_at: Date;
  }>(`SELECT station_id, public_key, label, registered_at FROM ${SCHEMA}.stations ORDER BY station_id`);
  return rows.rows.map((r) => ({
    stationId: r.station_id,
    publicKey: r.public_key,
    label: r.label,
    registeredAt: r.registered_at.toISOString(),
  }));
}
