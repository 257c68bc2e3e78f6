/**
 * Where a compliance command gets its product record: a JSON file, or (with --db) a product id stored in the
 * evidence database.
 */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { usageError } from '../../errors/credline-error.js';
import { installedPath } from '../../install/index.js';
import {
  type ProductRecord,
  loadProductRecordFile,
  openComplianceStore,
  type ComplianceStore,
} from '../../compliance/index.js';

export interface ProductSourceOptions {
  db?: string;
  revision?: string;
}

/** Adds the `<PRODUCT>` argument and `--db`, `--revision`, `--format` to a command. */
export function productOptions(command: Command): Command {
  return command
    .argument('<PRODUCT>', 'product record file, or a product id stored in --db')
    .option('--db <FILE>', 'evidence database holding the product record')
    .option('--revision <N>', 'with --db: a stored revision (default the latest)')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'));
}

/** Loads the record named on the command line. */
export function loadProduct(reference: string, opts: ProductSourceOptions): ProductRecord {
  if (opts.db === undefined) {
    if (!existsSync(reference)) {
      throw usageError(
        'PRODUCT_NOT_FOUND',
        `no product record file ${reference} (give a file, or a product id with --db)`,
      );
    }
    return loadProductRecordFile(reference);
  }
  return withComplianceStore(opts.db, (store) => {
    if (existsSync(reference) && /\.json$/i.test(reference)) return loadProductRecordFile(reference);
    return store.getProductRecord(reference, parseRevision(opts.revision));
  });
}

function parseRevision(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text))
    throw usageError('REVISION_INVALID', `--revision ${text}: expected a whole number from 1`);
  return Number(text);
}

/** Opens the compliance store of an evidence database for the duration of `work`. */
export function withComplianceStore<T>(db: string, work: (store: ComplianceStore) => T): T {
  const store = openComplianceStore(db);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

/** The example product record shipped with credline. */
export function demoProductPath(): string {
  return installedPath('provisioning', 'examples', 'demo-product.json');
}
