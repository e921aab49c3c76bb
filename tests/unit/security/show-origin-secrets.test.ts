import type { AppConfig } from '../../../src/config/schema';
import { effectiveValues } from '../../../src/config/show-origin';

/** `check-config --show-origin` prints no secret, whatever the key that holds it is called. */

const PREVIOUS = 'lama-rahasia-0123456789abcdef0123456789';
const IN_QUERY = 'kunci-portal-rahasia-42';

function shown(config: unknown): string {
  return effectiveValues({ config: config as AppConfig, originOf: () => 'local.yaml' })
    .map((v) => `${v.key} = ${v.value}`)
    .join('\n');
}

test('earlier reply secrets (staff.replySecretPrevious) are hidden like the current one', () => {
  const out = shown({ staff: { replySecret: 'x'.repeat(32), replySecretPrevious: `${PREVIOUS}, ${PREVIOUS}2` } });
  expect(out).toContain('staff.replySecretPrevious = (set, hidden)');
  expect(out).not.toContain(PREVIOUS);
});

test('a credential in a URL query (access_token, api_key, key, token, secret) is hidden', () => {
  const out = shown({
    portals: [{ url: `https://lapor.example.go.id/api/v1/aduan?since=1&access_token=${IN_QUERY}&api_key=${IN_QUERY}` }],
  });
  expect(out).toContain('https://lapor.example.go.id/api/v1/aduan?since=1&access_token=***&api_key=***');
  expect(out).not.toContain(IN_QUERY);
});
