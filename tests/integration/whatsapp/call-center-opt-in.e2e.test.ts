import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { callCenterChannelSchema } from '../../../src/channels/callcenter/config-schema';
import type { Ticket } from '../../../src/domain/complaint';
import { waitFor } from '../../support/service-harness';
import { LINE_1, startWhatsAppHarness, type WhatsAppHarness } from './whatsapp-test-env';

const HEADER = 'Waktu;Nomor Penelepon;Agen;Ringkasan;wa_consent\r\n';
/** A few minutes ago in Jakarta, as agents write it (a call older than the history age gets no response). */
function minutesAgo(n: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Jakarta',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() - n * 60_000));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('day')}/${part('month')}/${part('year')} ${part('hour')}.${part('minute')}`;
}

const CALLS = [
  // A mobile number, consent recorded: the initial response goes over WhatsApp.
  `${minutesAgo(3)};0812-1000-0001;Agen Line 1;"Menanyakan syarat pindah domisili ke Sidikalang.";ya\r\n`,
  // A mobile number without consent: nothing over WhatsApp.
  `${minutesAgo(2)};0812-1000-0002;Agen Line 2;"Menanyakan status KTP-el yang belum dicetak.";tidak\r\n`,
  // A Dairi landline, consent written anyway: WhatsApp cannot reach it.
  `${minutesAgo(1)};(0627) 21234;Agen Line 1;"Menanyakan jadwal perekaman KTP-el di kecamatan.";ya\r\n`,
];

describe('call-center initial response over WhatsApp (opt-in)', () => {
  let h: WhatsAppHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('a consenting mobile caller gets the template once (across a retry); no consent or a landline gets nothing', async () => {
    let folder = '';
    h = await startWhatsAppHarness({
      approved: ['aduan_respon_callcenter'],
      templates: { callCenterReceived: { name: 'aduan_respon_callcenter' } },
      tweak: (config) => {
        folder = path.join(path.dirname(config.service.dataDir), 'callcenter');
        mkdirSync(folder, { recursive: true });
        const callCenter = callCenterChannelSchema.parse({
          enabled: true,
          folder,
          pollIntervalMs: 50,
          columns: {
            time: 'Waktu',
            caller: 'Nomor Penelepon',
            agent: 'Agen',
            notes: 'Ringkasan',
            waConsent: 'wa_consent',
          },
          whatsappInitialResponse: true,
        });
        return { ...config, channels: { ...config.channels, callCenter } };
      },
    });
    // The Cloud API fails the first send: the effect is retried, and the template still goes out once.
    h.fake.failNext({ code: 1, status: 500, message: 'An unknown error occurred' });
    writeFileSync(path.join(folder, 'calls.csv'), HEADER + CALLS.join(''));
    const responded = (t: Ticket) =>
      t.history.some((e) => e.event === 'acknowledged' || e.event === 'acknowledgement-skipped');
    const tickets = await waitFor(
      async () => {
        const all = await h!.tickets();
        return all.length === 3 && all.every(responded) ? all : undefined;
      },
      20_000,
      'three responded call-center tickets',
    );
    const byPhone = (phone: string) => tickets.find((t) => t.complainant.phone === phone)!;
    const consenting = byPhone('+6281210000001');
    expect(h.fake.sent).toEqual([
      expect.objectContaining({
        phoneNumberId: LINE_1,
        to: '6281210000001',
        type: 'template',
        template: { name: 'aduan_respon_callcenter', language: 'id', parameters: [consenting.ticketNumber] },
      }),
    ]);
    expect(h.fake.calls.filter((c) => c.path.endsWith('/messages')).map((c) => c.status)).toEqual([500, 200]);
    expect(consenting.history.find((e) => e.event === 'acknowledged')!.note).toBe(
      'respon awal dikirim ke whatsapp (penelepon setuju dihubungi lewat WhatsApp)',
    );
    for (const phone of ['+6281210000002', '+6262721234']) {
      const other = byPhone(phone);
      expect(other.history.some((e) => e.event === 'acknowledged')).toBe(false);
      expect(other.meta.waOptIn).toBeUndefined();
    }
  });
});
