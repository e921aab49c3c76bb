import { httpSourceConflicts } from '../../../src/channels/portal/sources';
import { portalChannelSchema } from '../../../src/channels/portal/config-schema';

/**
 * Reply transports are keyed by channel: an HTTP source with a reply endpoint on the channel key of the
 * email or Meta adapter would take (or lose) that channel's replies, sending answers to citizens, with
 * their personal data, to the wrong system. Such a config is refused.
 */

const source = (channel: string) =>
  portalChannelSchema.parse({
    enabled: true,
    name: 'ekspor-fb',
    channel,
    poll: { url: 'https://ekspor.example.go.id/api' },
    mapping: { sourceId: 'id', receivedAt: 'dibuat', text: 'isi' },
    reply: { url: 'https://ekspor.example.go.id/api/{{to}}/tanggapan' },
  });

test.each([
  ['messenger', { meta: { enabled: true } }],
  ['instagram', { meta: { enabled: true } }],
  ['email', { email: { enabled: true } }],
])('a reply endpoint on %s, read by its own adapter, is refused', (channel, others) => {
  const problems = httpSourceConflicts({ ...others, http: [source(channel)] });
  expect(problems).toEqual([
    expect.objectContaining({ path: ['http', 0, 'reply'], message: expect.stringContaining(channel) }),
  ]);
});

test('the same source is fine while that adapter is off, or on a channel key of its own', () => {
  expect(httpSourceConflicts({ meta: { enabled: false }, http: [source('messenger')] })).toEqual([]);
  expect(httpSourceConflicts({ meta: { enabled: true }, http: [source('perkebbas')] })).toEqual([]);
});
