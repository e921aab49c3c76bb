import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CallCenterLogIntake } from '../../channels/callcenter';
import { EmlFolderIntake } from '../../channels/email';
import { MetaWebhookIntake } from '../../channels/meta/webhook-intake';
import { PortalWebhookIntake } from '../../channels/portal';
import { SamplesIntake } from '../../channels/samples/samples-intake';
import type { AppConfig } from '../../config/schema';
import type { Logger } from '../../lib/logger';
import type { RunningService } from '../../main';

/**
 * Feeds the demo's samples through each channel's real adapter, with nothing outside this machine:
 * .eml files through the email parser, an agent's CSV log through the call-center watcher, Graph webhook
 * payloads and portal records POSTed, signed, to the real receivers on a loopback port. Offline channels
 * (walk-in, suggestion box) come as staff type them for `aduan intake`.
 */
export async function feedSamples(service: RunningService, config: AppConfig, samplesDir: string, log: Logger): Promise<void> {
  const records = new SamplesIntake(samplesDir, service.store, log, config.service.timeZone);
  await records.start(service.sink);
  await records.drained();

  const emailFolder = path.join(samplesDir, 'email');
  if (existsSync(emailFolder)) {
    const mail = EmlFolderIntake.fromConfig(emailFolder, config, service.store, log);
    await mail.start(service.sink);
    await mail.drained();
  }

  const callLogs = path.join(samplesDir, 'callcenter');
  if (existsSync(callLogs) && config.channels.callCenter) {
    const watcher = new CallCenterLogIntake({
      config: { ...config.channels.callCenter, enabled: true, folder: callLogs },
      store: service.store, log, timeZone: config.service.timeZone, alerts: service.alerts,
    });
    await watcher.start(service.sink);
    await watcher.scanNow();
    await watcher.stop();
  }

  const metaFolder = path.join(samplesDir, 'meta');
  if (existsSync(metaFolder)) await feedMetaWebhooks(service, metaFolder, log);

  const portalRecords = path.join(samplesDir, 'perkebbas', 'records.json');
  if (existsSync(portalRecords) && config.channels.perkebbas) await feedPortalWebhook(service, config, portalRecords, log);
}

const DEMO_SECRET = 'demo-only-secret';

async function feedMetaWebhooks(service: RunningService, folder: string, log: Logger): Promise<void> {
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
  await receiver.start(service.sink);
  try {
    for (const { raw } of bodies) await postSigned(receiver.url(), raw, 'X-Hub-Signature-256', `sha256=${hmac(raw)}`);
  } finally {
    await receiver.stop();
  }
}

async function feedPortalWebhook(service: RunningService, config: AppConfig, file: string, log: Logger): Promise<void> {
  const portal = config.channels.perkebbas!;
  const receiver = new PortalWebhookIntake({
    portal: { ...portal, enabled: true, webhook: { ...portal.webhook, enabled: true, host: '127.0.0.1', port: 0, secret: DEMO_SECRET } },
    store: service.store,
    log,
    timeZone: config.service.timeZone,
  });
  await receiver.start(service.sink);
  try {
    const raw = await readFile(file, 'utf8');
    await postSigned(receiver.url(), raw, portal.webhook.signatureHeader, hmac(raw));
  } finally {
    await receiver.stop();
  }
}

function hmac(body: string): string {
  return createHmac('sha256', DEMO_SECRET).update(body).digest('hex');
}

async function postSigned(url: string, body: string, header: string, signature: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', [header]: signature } });
  if (response.status !== 200) throw new Error(`sample webhook to ${url} answered ${response.status}`);
}

async function readJsonFiles(folder: string): Promise<Array<{ raw: string; json: unknown }>> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => {
    const raw = await readFile(path.join(folder, f), 'utf8');
    return { raw, json: JSON.parse(raw) as unknown };
  }));
}
