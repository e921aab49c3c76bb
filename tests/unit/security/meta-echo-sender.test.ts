import { normalizeWebhookPayload, type AccountRef } from '../../../src/channels/meta/normalize';

/**
 * An inbox answer (an echo from another app) speaks for the office: it resolves a ticket. Only the Page
 * itself sends echoes (sender = Page, recipient = citizen); an "echo" whose sender is anyone else is
 * not taken for a staff answer, whatever its flags say.
 */

const PAGE: AccountRef = { channel: 'messenger', ownId: '104000000000001' };
const OUR_APP = '1517776481860111';
const INBOX_APP = '263902037430900';
const now = new Date('2026-08-01T03:00:00Z');

function event(sender: string, recipient: string) {
  return {
    object: 'page',
    entry: [
      {
        id: PAGE.ownId,
        time: now.getTime(),
        messaging: [
          {
            sender: { id: sender },
            recipient: { id: recipient },
            timestamp: now.getTime(),
            message: { mid: 'm_echo', text: 'Sudah selesai.', is_echo: true, app_id: Number(INBOX_APP) },
          },
        ],
      },
    ],
  };
}

test('an echo whose sender is not the Page is no inbox answer', () => {
  const [n] = normalizeWebhookPayload(event('7000000000000001', '7000000000000002'), [PAGE], now, OUR_APP);
  expect(n).toMatchObject({ kind: 'ignored' });
});

test('the Page echo typed in the inbox still is one', () => {
  const [n] = normalizeWebhookPayload(event(PAGE.ownId, '7000000000000002'), [PAGE], now, OUR_APP);
  expect(n).toMatchObject({ kind: 'complaint', complaint: { meta: { inboxAnswer: 'page-inbox' } } });
});
