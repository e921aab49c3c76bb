import type { ComplaintSink } from '../complaint-sink';
import type { DemoDeps } from '../channel-module';
import { demoSignature, DEMO_SECRET, postSigned, readJsonFiles } from '../shared/demo-post';
import { whatsappChannelSchema } from './config-schema';
import { createWhatsAppIntakes } from './parts';
import type { WhatsAppWebhookIntake } from './webhook-intake';

/** Cloud API webhook payloads POSTed, signed, to the real receiver on a loopback port. */
export async function feedWhatsAppWebhooks(
  folder: string,
  sink: ComplaintSink,
  deps: Pick<DemoDeps, 'log' | 'store' | 'alerts' | 'config'>,
): Promise<void> {
  const bodies = await readJsonFiles(folder);
  // The demo's own numbers are whatever its samples name.
  const ids = new Set<string>();
  for (const { json } of bodies)
    for (const entry of (
      json as { entry?: Array<{ changes?: Array<{ value?: { metadata?: { phone_number_id?: string } } }> }> }
    ).entry ?? [])
      for (const change of entry.changes ?? []) {
        const id = change.value?.metadata?.phone_number_id;
        if (id) ids.add(id);
      }
  const section = whatsappChannelSchema.parse({
    enabled: true,
    accessToken: 'demo-token',
    appSecret: DEMO_SECRET,
    numbers: [...ids].map((phoneNumberId) => ({ phoneNumberId })),
    webhook: { host: '127.0.0.1', port: 0, verifyToken: 'demo' },
  });
  const poison = undefined as never;
  const [receiver] = createWhatsAppIntakes(section, { ...deps, poison }) as WhatsAppWebhookIntake[];
  await receiver!.start(sink);
  try {
    for (const { raw } of bodies)
      await postSigned(receiver!.url(), raw, 'X-Hub-Signature-256', `sha256=${demoSignature(raw)}`);
  } finally {
    await receiver!.stop();
  }
}
