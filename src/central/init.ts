/**
 * `central init`: creates the roles, the `credline` schema and applies the missing migrations, each in its own
 * transaction under one advisory lock (two inits at once migrate once). Run by the database owner.
 */
import { usageError } from '../errors/credline-error.js';
import { SCHEMA } from './chain-sql.js';
import {
  centralError,
  connectCentral,
  describeCentral,
  type CentralClient,
  type CentralTarget,
} from './connect.js';
import { CENTRAL_LATEST_VERSION, CENTRAL_MIGRATIONS } from './migrations.js';
import { CREATE_ROLES_SQL } from './roles.js';

export interface InitReport {
  from: number;
  to: number;
  applied: { version: number; description: string }[];
}

export async function initCentral(target: CentralTarget): Promise<InitReport> {
  const client = await connectCentral(target);
  try {
    const encoding = (await client.query<{ server_encoding: string }>('SHOW server_encoding')).rows[0];
    if (encoding?.server_encoding !== 'UTF8')
      throw usageError(
        'CENTRAL_ENCODING',
        `${describeCentral(target)}: the database encoding is ${encoding?.server_encoding}; ` +
          'credline needs UTF8 (CREATE DATABASE … ENCODING UTF8)',
      );
    await client.query(CREATE_ROLES_SQL);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (
      version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const from = await schemaVersion(client);
    const applied: InitReport['applied'] = [];
    for (const migration of CENTRAL_MIGRATIONS) {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('credline.migrate'))`);
        if (migration.version <= (await schemaVersion(client))) {
          await client.query('COMMIT');
          continue;
        }
        await client.query(migration.sql);
        await client.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, description) VALUES ($1, $2)`, [
          migration.version,
          migration.description,
        ]);
        await client.query('COMMIT');
        applied.push({ version: migration.version, description: migration.description });
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    return { from, to: CENTRAL_LATEST_VERSION, applied };
  } catch (error) {
    throw centralError(target, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The applied schema version (0: none). */
export async function schemaVersion(client: CentralClient): Promise<number> {
  const exists = await client.query(
    `SELECT to_regclass('${SCHEMA}.schema_migrations') IS NOT NULL AS present`,
  );
  if (!(exists.rows[0] as { present: boolean }).present) return 0;
  const row = await client.query<{ version: number | null }>(
    `SELECT max(version)::int AS version FROM ${SCHEMA}.schema_migrations`,
  );
  return row.rows[0]?.version ?? 0;
}

/** Refuses a store that is not at this credline's schema version (sync and reads call this first). */
export async function assertCurrentSchema(client: CentralClient, target: CentralTarget): Promise<void> {
  const version = await schemaVersion(client);
  if (version === CENTRAL_LATEST_VERSION) return;
  const where = describeCentral(target);
  if (version < CENTRAL_LATEST_VERSION)
    throw usageError(
      'CENTRAL_SCHEMA_OLD',
      `${where}: central schema version ${version}, this credline needs ${CENTRAL_LATEST_VERSION}: ` +
        'run credline central init as the database owner',
    );
  throw usageError(
    'CENTRAL_SCHEMA_NEW',
    `${where}: central schema version ${version} is newer than this credline knows (${CENTRAL_LATEST_VERSION})`,
  );
}
