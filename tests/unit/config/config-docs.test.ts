import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderConfigDocs } from '../../../src/config/config-docs';
import { blockKeys } from '../../../src/config/schema-walk';
import { configSchema } from '../../../src/config/schema';

const DOCS = path.resolve(__dirname, '../../../docs/configuration.md');

describe('docs/configuration.md', () => {
  const rendered = renderConfigDocs();

  test('is what `npm run docs:config` writes from the schema today (run it after changing the schema)', () => {
    expect(readFileSync(DOCS, 'utf8')).toBe(rendered);
  });

  test('lists every top-level section and every key of a section, with type, default and description', () => {
    for (const key of Object.keys(blockKeys(configSchema)!)) expect(rendered).toContain(`## \`${key}\``);
    expect(rendered).toContain(
      '| `pipeline.attempts` | number | `8` | Attempts before a job lands in the dead-letter queue. |',
    );
    expect(rendered).toMatch(
      /\| `outbound\.smtp` \| block \| optional \| The SMTP server; required when mode is live\. \|/,
    );
    expect(rendered).toMatch(
      /\| `channels\.perkebbas\.poll\.incremental\.param` \| text \| required \| \(kind: since\) /,
    );
    expect(rendered).toMatch(/\| `channels\.http` \| list of block \| optional \| .*keys of `channels\.perkebbas`/);
    expect(rendered).toMatch(/\| `classifier\.extraExamples` \| list of text \| `\[\]` \| /);
    expect(rendered).toMatch(/\| `teams\.<name>\.emails` \| list of email address \| required \| /);
  });
});
