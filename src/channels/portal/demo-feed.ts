import { readFile } from 'node:fs/promises';
import type { Logger } from '../../lib/logger';
import type { ComplaintSink } from '../complaint-sink';
import type { Store } from '../../store/store';
import { demoSignature, DEMO_SECRET, postSigned } from '../shared/demo-post';
import type { PortalConfig } from './config-schema';
import { PortalWebhookIntake } from './webhook-intake';

/** The portal's sample records POSTed, signed, to the real push receiver on a loopback port. */
export async function feedPortalWebhook(
  portal: PortalConfig,
  file: string,
  deps: { sink: ComplaintSink; store: Store; log: Logger; timeZone: string },
): Promise<void> {
  const receiver = new PortalWebhookIntake({
    portal: {
      ...portal,
      enabled: true,
      webhook: { ...portal.webhook, enabled: true, host: '127.0.0.1', port: 0, secret: DEMO_SECRET },
    },
    store: deps.store,
    log: deps.log,
    timeZone: deps.timeZone,
  });
  await receiver.start(deps.sink);
  try {
    const raw = await readFile(file, 'utf8');
    await postSigned(receiver.url(), raw, portal.webhook.signatureHeader, demoSignature(raw));
  } finally {
    await receiver.stop();
  }
}
