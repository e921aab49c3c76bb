import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { portalChannel } from '../../../src/channels/portal';
import { runCheckConfig } from '../../../src/cli/commands/check-config';
import { MessageWebhookTransport } from '../../../src/channels/shared/message-webhook-transport';
import { createLogger } from '../../../src/lib/logger';
import type { Transport } from '../../../src/outbound/message';
import { ConfigError, loadConfig } from '../../../src/config/load';
import { writeConfigDir } from '../../support/config-dir';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function configWith(local: Record<string, unknown>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-http-'));
  roots.push(root);
  return writeConfigDir(root, local);
}

function problemsOf(local: Record<string, unknown>): string[] {
  try {
    loadConfig(configWith(local), {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.keyPath}: ${p.message}`);
    throw error;
  }
  return [];
}

const mapping = { sourceId: 'id', receivedAt: 'dibuat', text: 'isi' };
const source = (name: string, extra: Record<string, unknown> = {}) => ({
  enabled: true,
  name,
  poll: { url: `https://${name}.example.go.id/api` },
  mapping,
  ...extra,
});

describe('channels.http: several HTTP JSON sources', () => {
  test('the legacy channels.perkebbas block and the list run side by side as one registry entry', () => {
    const config = loadConfig(
      configWith({
        channels: {
          perkebbas: { enabled: true, auth: { kind: 'bearer', token: 'tok-123' } },
          http: [source('lapor', { auth: { kind: 'api-key', header: 'X-Api-Key', value: 'k' } })],
        },
      }),
      {},
    );
    const section = portalChannel.configOf(config)!;
    expect(section.enabled).toBe(true);
    expect(section.sources.map((s) => [s.name, s.channel, s.auth.kind])).toEqual([
      ['perkebbas', 'perkebbas', 'bearer'],
      ['lapor', 'perkebbas', 'api-key'],
    ]);
  });

  test('no enabled source: the registry entry is off', () => {
    const config = loadConfig(configWith({ channels: { http: [source('lapor', { enabled: false })] } }), {});
    expect(portalChannel.configOf(config)).toEqual({ enabled: false, sources: [] });
  });

  test('two sources with one name are refused (the name keys the cursor)', () => {
    expect(problemsOf({ channels: { http: [source('lapor'), source('lapor')] } })).toEqual([
      expect.stringMatching(
        /^channels\.http\.1\.name: another HTTP source \(channels\.http\.0\) is also named "lapor"/,
      ),
    ]);
    expect(
      problemsOf({ channels: { perkebbas: { enabled: true, auth: { kind: 'none' } }, http: [source('perkebbas')] } }),
    ).toEqual([expect.stringMatching(/^channels\.http\.0\.name: .*channels\.perkebbas/)]);
  });

  test('a reply endpoint on a channel key another enabled source shares is refused', () => {
    const reply = { url: 'https://lapor.example.go.id/api/{{to}}/tanggapan' };
    expect(
      problemsOf({
        channels: { perkebbas: { enabled: true, auth: { kind: 'none' } }, http: [source('lapor', { reply })] },
      }),
    ).toEqual([
      expect.stringMatching(/^channels\.http\.0\.reply: .*only enabled source on its channel key.*"perkebbas"/),
    ]);
  });

  test('two push receivers on one port are refused', () => {
    const webhook = { enabled: true, port: 8090, secret: 'a-long-enough-shared-secret' };
    expect(
      problemsOf({
        channels: { http: [source('a', { webhook: { ...webhook } }), source('b', { webhook: { ...webhook } })] },
      }),
    ).toEqual([
      'channels.http.1.webhook.port: 127.0.0.1:8090 is already the webhook of "a"; give each source\'s webhook its own port',
    ]);
  });

  test('every source is held to the transport rules (https unless loopback)', () => {
    expect(
      problemsOf({ channels: { http: [source('lapor', { poll: { url: 'http://lapor.example.go.id/api' } })] } }),
    ).toEqual([expect.stringMatching(/^channels\.http\.0\.poll\.url: /)]);
  });

  test('each source is validated like channels.perkebbas (missing credentials, unknown keys)', () => {
    const problems = problemsOf({
      channels: { http: [source('lapor', { auth: { kind: 'bearer', token: '' }, pagnation: {} })] },
    });
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^channels\.http\.0\.pagnation: unknown key/)]),
    );
  });

  test('check-config names each enabled source', () => {
    const dir = configWith({
      channels: { http: [source('lapor'), source('kominfo', { enabled: false })] },
    });
    const out: string[] = [];
    const sink = { write: (chunk: string) => out.push(chunk) } as unknown as NodeJS.WritableStream;
    expect(runCheckConfig(dir, sink, sink, { env: {} })).toBe(0);
    expect(out.join('')).toContain('  channels: http:lapor\n');
  });

  test('replies: a source with a reply endpoint answers on its own channel key', async () => {
    const reply = { url: 'https://lapor.example.go.id/api/{{to}}/tanggapan' };
    const config = loadConfig(configWith({ channels: { http: [source('lapor', { reply })] } }), {});
    const transports = await portalChannel.replyTransports(portalChannel.configOf(config), {
      config,
      log: createLogger({ level: 'silent' }),
      mail: {} as Transport,
    });
    expect(Object.keys(transports)).toEqual(['perkebbas']);
    expect(transports.perkebbas).toBeInstanceOf(MessageWebhookTransport);
  });
});

describe('channels.callCenter.whatsappInitialResponse', () => {
  const callCenter = {
    enabled: true,
    folder: '/tmp/aduan-calls',
    columns: { time: 'Waktu', caller: 'Nomor', agent: 'Agen', notes: 'Ringkasan', waConsent: 'wa_consent' },
    whatsappInitialResponse: true,
  };
  const whatsapp = (templates: Record<string, unknown>) => ({
    enabled: true,
    accessToken: 'token',
    appSecret: 'secret',
    numbers: [{ phoneNumberId: '1065' }],
    webhook: { verifyToken: 'v' },
    templates,
  });

  it('needs the WhatsApp channel and its callCenterReceived template', () => {
    expect(problemsOf({ channels: { callCenter } })).toEqual([
      'channels.callCenter.whatsappInitialResponse: needs channels.whatsapp enabled',
    ]);
    expect(problemsOf({ channels: { callCenter, whatsapp: whatsapp({}) } })).toEqual([
      'channels.callCenter.whatsappInitialResponse: needs channels.whatsapp.templates.callCenterReceived (an approved UTILITY template)',
    ]);
    const ok = { callCenter, whatsapp: whatsapp({ callCenterReceived: { name: 'aduan_respon_callcenter' } }) };
    expect(problemsOf({ channels: ok })).toEqual([]);
  });
});
