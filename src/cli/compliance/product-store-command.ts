/** `credline product import|export|list`: product records kept, by revision, in the evidence database. */
import { type Command, Option } from 'commander';
import { writeFileAtomically, loadProductRecordFile } from '../../compliance/index.js';
import { withComplianceStore } from './product-source.js';

export function registerProductStoreCommands(product: Command): void {
  product
    .command('import')
    .description(
      'store a product record revision in the evidence database (same revision again: no-op; a shortened ' +
        'support period or a changed stored revision is refused)',
    )
    .argument('<FILE>', 'product record file')
    .requiredOption('--db <FILE>', 'evidence database')
    .action((file: string, opts: { db: string }) => {
      const record = loadProductRecordFile(file);
      const result = withComplianceStore(opts.db, (store) => store.importProductRecord(record));
      process.stdout.write(
        `${result.stored ? 'stored' : 'already stored'}: ${record.id} revision ${result.revision} (SHA-256 ${result.hash})\n`,
      );
    });

  product
    .command('export')
    .description('write a stored product record revision back out as JSON')
    .argument('<ID>', 'product id')
    .requiredOption('--db <FILE>', 'evidence database')
    .option('--revision <N>', 'revision (default the latest)')
    .option('--out <FILE>', 'write here instead of standard output')
    .action((id: string, opts: { db: string; revision?: string; out?: string }) => {
      const revision = opts.revision === undefined ? undefined : Number(opts.revision);
      const record = withComplianceStore(opts.db, (store) => store.getProductRecord(id, revision));
      const text = `${JSON.stringify(record, null, 2)}\n`;
      if (opts.out) writeFileAtomically(opts.out, text);
      else process.stdout.write(text);
    });

  product
    .command('list')
    .description('list the product record revisions stored in the evidence database')
    .requiredOption('--db <FILE>', 'evidence database')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { db: string; format: string }) => {
      const rows = withComplianceStore(opts.db, (store) => store.listProductRevisions());
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const r of rows) {
        process.stdout.write(
          `${r.productId.padEnd(24)} rev ${String(r.revision).padEnd(4)} support to ${r.supportEndDate ?? '(none)'}  ` +
            `${(r.scopeOutcome ?? 'no scope note').padEnd(16)} ${r.recordHash.slice(0, 16)}  ${r.recordedAt}\n`,
        );
      }
    });
}
