import type { ComplaintSink } from '../complaint-sink';
import type { ChannelDeps } from '../channel-module';
import { demoSignature, DEMO_SECRET, postSigned, readJsonFiles } from '../shared/demo-post';
import { MetaWebhookIntake } from './webhook-intake';

/** Graph webhook payloads POSTed, signed, to the real receiver on a loopback port. */
export async function feedMetaWebhooks(
  folder: string,
  sink: ComplaintSink,
  { log }: Pick<ChannelDeps, 'log'>,
): Promise<void> {
  const bodies = await readJsonFiles(folder);
  // The demo's own Page and Instagram ids are whatever its samples name.
  const accounts = bodies.flatMap(({ json }) => {
    const payload = json as { object?: string; entry?: Array<{ id: string }> };
    const channel = payload.object === 'instagram' ? ('instagram' as const) : ('messenger' as const);
    return (payload.entry ?? []).map((entry) => ({ channel, ownId: entry.id }));
  });
  const receiver = new MetaWebhookIntake({
    webhook: { enabled: true, host: '127.0.0.1', port: 0, path: '/webhooks/meta', verifyToken: 'demo' },
    appSecret: DEMO_SECRET,
    accounts,
    log,
  });
  await receiver.start(sink);
  try {
    for (const { raw } of bodies)
      await postSigned(receiver.url(), raw, 'X-Hub-Signature-256', `sha256=${demoSignature(raw)}`);
  } finally {
    await receiver.stop();
  }
}
