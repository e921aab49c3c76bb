import { readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalAddress } from '../../../src/channels/email/loop-guard';
import { normalizeEmail, type EmailDecision, type NormalizeContext } from '../../../src/channels/email/normalize';
import { parseEmail } from '../../../src/channels/email/parse';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/email');
export const OWN_DOMAIN = 'disdukcapil.dairikab.go.id';

export function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

export function context(overrides: Partial<NormalizeContext> = {}): NormalizeContext {
  return {
    ownAddresses: new Set(
      ['pengaduan@disdukcapil.dairikab.go.id', 'capil@disdukcapil.dairikab.go.id'].map(canonicalAddress),
    ),
    ownDomain: OWN_DOMAIN,
    attachments: { folder: '/var/aduan/attachments', maxBytes: 10 * 1024 * 1024 },
    now: new Date('2026-12-07T01:00:00Z'),
    origin: 'test',
    ...overrides,
  };
}

export async function normalizeFixture(
  name: string,
  overrides: Partial<NormalizeContext> = {},
): Promise<EmailDecision> {
  return normalizeEmail(await parseEmail(fixture(name)), context(overrides));
}

export async function complaintOf(name: string, overrides: Partial<NormalizeContext> = {}) {
  const decision = await normalizeFixture(name, overrides);
  if (decision.kind !== 'complaint')
    throw new Error(`${name}: expected a complaint, got ${decision.kind}: ${decision.reason}`);
  return decision;
}
