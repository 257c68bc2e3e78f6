/**
 * The central compliance chain (a real PostgreSQL server): `soc issue --central` records one statement for a batch
 * made on two stations, sealed by the server as the next row of the compliance chain and its head signed by a named
 * central key; `evidence verify --central` checks all of it and names an edited document, a forged checkpoint and
 * an unsealed document; `evidence retention --central` lists the statement; the roles keep to their rights.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncStation } from '../../src/central/index.js';
import { DEMO_PRODUCT_PATH } from '../compliance/helpers.js';
import { credline, type CliResult } from '../evidence/cli-run.js';
import { havePostgresServer } from '../support/postgres.js';
import { serials, startCentral, stationFile, type CentralFixture } from './helpers.js';

const ready = havePostgresServer('central compliance chain tests');
const KEY = 'test/fixtures/test-station-key.json';
const KEY_PASSPHRASE = 'test/fixtures/test-station-key-passphrase.txt';
/** TEST FIXTURE ONLY: the compliance officer's login password. */
const OFFICER_PASSWORD = 'officer-test-pw';

describe.skipIf(!ready)('the central compliance chain', () => {
  let central: CentralFixture;
  let home: string;
  let officerUrl: string;
  const asOfficer = (args: string[]): CliResult =>
    credline([...args, '--central-env', 'CENTRAL_URL'], { CENTRAL_URL: officerUrl });
  const asAuditor = (args: string[]): CliResult =>
    credline([...args, '--central-env', 'CENTRAL_URL'], central.env('auditor'));
  const asOwner = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: central.owner.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    central = await startCentral();
    central.cluster.psql(
      `CREATE ROLE officer LOGIN PASSWORD '${OFFICER_PASSWORD}' IN ROLE credline_compliance`,
      'credline',
    );
    officerUrl = central.cluster.url('credline', 'officer').replace('@', `:${OFFICER_PASSWORD}@`);
    home = mkdtempSync(join(tmpdir(), 'credline-central-soc-'));
    const files = {
      line1: stationFile('line1', serials('DEMO', 3), {
        file: join(home, 'l1.db'),
        supportEndDate: '2031-12-31',
      }),
      line2: stationFile('line2', serials('MORE', 2), {
        file: join(home, 'l2.db'),
        supportEndDate: '2031-12-31',
      }),
    };
    for (const id of ['line1', 'line2'] as const) {
      files[id].store.close();
      expect((await syncStation({ file: files[id].file, target: central.station(id) })).findings).toEqual([]);
    }
  });
  afterAll(() => {
    central?.cluster.destroy();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const issue = (extra: string[] = []): CliResult =>
    asOfficer([
      ...['soc', 'issue', '--product', DEMO_PRODUCT_PATH, '--batch', 'B1'],
      ...['--signatory', 'A. Person, Head of Compliance', '--place', 'Exampleton'],
      ...['--out', join(home, 'out'), '--central-key', KEY, '--passphrase-file', KEY_PASSPHRASE],
      ...extra,
    ]);

  it('issues one statement for a batch made on two stations, sealed and signed by a named central key', async () => {
    const unregistered = issue();
    expect([unregistered.status, unregistered.stderr]).toEqual([
      2,
      expect.stringMatching(/is not a registered central key \(credline central key add/),
    ]);
    expect(
      await asOwner(
        async (c) => (await c.query('SELECT count(*)::int AS n FROM credline.compliance_documents')).rows,
      ),
    ).toEqual([{ n: 0 }]);

    const add = credline(
      ['central', 'key', 'add', '--central-env', 'CENTRAL_URL', '--name', 'compliance-2026', '--key', KEY],
      central.env('owner'),
    );
    expect([add.status, add.stderr]).toEqual([0, '']);
    expect(add.stdout).toMatch(/^registered: central key compliance-2026, public key d75a9801/);

    const issued = issue();
    expect([issued.status, issued.stderr]).toEqual([0, '']);
    expect(issued.stdout).toMatch(/^issued statement of compliance for demo-camera, batch B1$/m);
    expect(issued.stdout).toMatch(
      /^recorded in postgresql:\/\/officer@[^ ]+ as statement document 3 \(compliance chain seq 3, head signed\), SHA-256 [0-9a-f]{64}$/m,
    );
    const statement = JSON.parse(
      readFileSync(join(home, 'out', 'statement-of-compliance-demo-camera-B1.json'), 'utf8'),
    ) as { product: { batch: string } };
    expect(statement.product.batch).toBe('B1');
    const again = issue(['--force']);
    expect(again.status).toBe(0);

    const verify = asAuditor(['evidence', 'verify']);
    expect([verify.status, verify.stderr]).toEqual([0, '']);
    expect(verify.stdout).toMatch(
      /^compliance chain: 3 documents, head seq 3, 2 signed checkpoints \(central key compliance-2026\)$/m,
    );
    const retention = JSON.parse(asAuditor(['evidence', 'retention', '--format', 'json']).stdout) as {
      kind: string;
      id: string;
      productId: string | null;
    }[];
    expect(retention.map((e) => [e.kind, e.id, e.productId])).toEqual([
      ['statement', '3 (batch B1)', 'demo-camera'],
      ['batch', 'B1', 'demo-camera'],
      ['product-record', 'demo-camera revision 1', 'demo-camera'],
    ]);
  });

  it('names an edited document, a forged checkpoint and an unsealed document', async () => {
    const problemsAfter = async (tamper: string, undo: string, table: string): Promise<string> =>
      asOwner(async (c) => {
        await c.query(`ALTER TABLE credline.${table} DISABLE TRIGGER ${table}_append_only`);
        await c.query(tamper);
        const verify = asAuditor(['evidence', 'verify']);
        await c.query(undo);
        await c.query(`ALTER TABLE credline.${table} ENABLE TRIGGER ${table}_append_only`);
        expect(verify.status).toBe(1);
        return verify.stdout;
      });
    const body = await asOwner(
      async (c) =>
        (
          await c.query<{ body: string }>(
            'SELECT body::text AS body FROM credline.compliance_documents WHERE id = 3',
          )
        ).rows[0]?.body as string,
    );
    expect(
      await problemsAfter(
        `UPDATE credline.compliance_documents SET body = jsonb_set(body, '{retainUntil}', '"2099-01-01"') WHERE id = 3`,
        `UPDATE credline.compliance_documents SET body = '${body.replaceAll("'", "''")}' WHERE id = 3`,
        'compliance_documents',
      ),
    ).toMatch(/^PROBLEM compliance seq 3: compliance document 3: its body is not the one sealed/m);
    const signature = await asOwner(
      async (c) =>
        (
          await c.query<{ signature: string }>(
            'SELECT signature FROM credline.compliance_checkpoints WHERE id = 1',
          )
        ).rows[0]?.signature as string,
    );
    const forged = `${signature.slice(0, 127)}${signature.endsWith('0') ? '1' : '0'}`;
    expect(
      await problemsAfter(
        `UPDATE credline.compliance_checkpoints SET signature = '${forged}' WHERE id = 1`,
        `UPDATE credline.compliance_checkpoints SET signature = '${signature}' WHERE id = 1`,
        'compliance_checkpoints',
      ),
    ).toMatch(/^PROBLEM compliance seq 3: compliance checkpoint 1: the signature does not verify$/m);
    const unsealed = await asOwner(async (c) => {
      await c.query(
        `INSERT INTO credline.compliance_documents (kind, document_key, body, sha256) VALUES ('statement', 'B9', '{}', '${'a'.repeat(64)}')`,
      );
      return asAuditor(['evidence', 'verify']);
    });
    expect(unsealed.status).toBe(1);
    expect(unsealed.stdout).toMatch(
      /^PROBLEM compliance document \d+ is not sealed in the compliance chain$/m,
    );
  });

  it('lets only the compliance role record, and nobody rewrite', async () => {
    const tryAs = async (url: string, sql: string): Promise<string | undefined> => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(sql);
        return undefined;
      } catch (error) {
        return (error as { code?: string }).code;
      } finally {
        await client.end();
      }
    };
    const auditorUrl = central.env('auditor')['CENTRAL_URL'] as string;
    expect(await tryAs(auditorUrl, `SELECT * FROM credline.record_document('statement', 'X', '{}')`)).toBe(
      '42501',
    );
    expect(
      await tryAs(
        officerUrl,
        `INSERT INTO credline.compliance_documents (kind, document_key, body, sha256) VALUES ('x', 'y', '{}', '${'b'.repeat(64)}')`,
      ),
    ).toBe('42501');
    expect(await tryAs(officerUrl, `UPDATE credline.compliance_chain SET kind = 'x'`)).toBe('42501');
    expect(await tryAs(central.owner.url, `DELETE FROM credline.compliance_chain`)).toBe('CL002');
  });
});
