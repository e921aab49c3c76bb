import { portalChannelSchema } from '../../../src/channels/portal/config-schema';
import { PIPELINE_META_KEYS } from '../../../src/domain/complaint';

/**
 * The pipeline reads some `meta` keys as instructions (a Page-inbox answer, an edit, a reply tag, a staff
 * answer's sender authentication). An HTTP source's mapping copies source fields into `meta`: were it allowed
 * to name those keys, a record from the source could pose as a staff answer or an edit. Such a config is refused.
 */

const withMeta = (meta: Record<string, string>) =>
  portalChannelSchema.safeParse({
    enabled: true,
    name: 'ekspor',
    channel: 'perkebbas',
    poll: { url: 'https://ekspor.example.go.id/api' },
    mapping: { sourceId: 'id', receivedAt: 'dibuat', text: 'isi', meta },
  });

test.each([...PIPELINE_META_KEYS])('mapping meta key %s is refused with a reason', (key) => {
  const result = withMeta({ [key]: 'data.x' });
  expect(result.success).toBe(false);
  expect(JSON.stringify(result.error?.issues)).toContain('reserved');
});

test('ordinary meta keys are kept', () => {
  const result = withMeta({ kecamatan: 'alamat.kecamatan', nomorAntrian: 'antrian' });
  expect(result.success).toBe(true);
});
