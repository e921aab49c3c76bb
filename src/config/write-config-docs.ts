import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderConfigDocs } from './config-docs';
import { packageRoot } from './package-root';

/** `npm run docs:config`: rewrites docs/configuration.md from the schema. */
if (require.main === module) {
  const file = path.join(packageRoot(), 'docs', 'configuration.md');
  writeFileSync(file, renderConfigDocs());
  process.stdout.write(`wrote ${file}\n`);
}
