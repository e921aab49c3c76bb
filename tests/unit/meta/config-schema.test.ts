import { loadConfig } from '../../../src/config/load';
import { metaChannelSchema } from '../../../src/channels/meta/config-schema';
import { REPO_CONFIG_DIR } from '../../support/service-harness';

describe('channels.meta config', () => {
  it('ships disabled, with secrets only from the environment', () => {
    const config = loadConfig(REPO_CONFIG_DIR, {
      META_PAGE_ACCESS_TOKEN: 'EAAGfromenv',
      META_APP_SECRET: 'secret-from-env',
    });
    expect(config.channels.meta).toMatchObject({
      enabled: false,
      graphBaseUrl: 'https://graph.facebook.com',
      graphVersion: 'v24.0',
      pageAccessToken: 'EAAGfromenv',
      appSecret: 'secret-from-env',
      humanAgentTagApproved: false,
      polling: { callsPerSecond: 1.6 },
      webhook: { enabled: false },
    });
    expect(loadConfig(REPO_CONFIG_DIR, {}).channels.meta?.pageAccessToken).toBe('');
  });

  it('requires the ids and secrets an enabled channel needs', () => {
    const result = metaChannelSchema.safeParse({
      enabled: true,
      instagram: { enabled: true },
      webhook: { enabled: true },
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['pageId', 'pageAccessToken', 'instagram.accountId', 'appSecret', 'webhook.verifyToken']),
    );
    expect(
      metaChannelSchema.safeParse({ enabled: true, pageId: '104000000000001', pageAccessToken: 't' }).success,
    ).toBe(true);
    expect(metaChannelSchema.safeParse({ graphVersion: '24' }).success).toBe(false);
  });
});
