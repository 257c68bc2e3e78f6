/**
 * The JSON-line records of `credline provision --format jsonl` checked against the schema shipped for MES
 * integrators (provisioning/provision-jsonl.schema.json), so every test that reads them checks the contract.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';

const schema = JSON.parse(
  readFileSync(join(__dirname, '../../provisioning/provision-jsonl.schema.json'), 'utf8'),
) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Parses one stdout line and throws, naming the line, when it does not match the schema. */
export function parseProvisionRecord(line: string): Record<string, unknown> {
  const record = JSON.parse(line) as Record<string, unknown>;
  if (!validate(record)) {
    throw new Error(
      `provision record does not match its schema: ${JSON.stringify(validate.errors)}: ${line}`,
    );
  }
  return record;
}
