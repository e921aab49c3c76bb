import type { ComplaintInputDraft } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { createTestEnv, startTestService, type TestEnv } from '../../support/service-harness';
import { emailComplaint, submitAndWait, teamMailText, uniqueId, whatsappComplaint } from './citizen-env';

/** Issue #22 §1: each ticket gets a citizen record; only a valid NIK or staff link; the team mail tells the rest. */

const KTP = 'KTP elektronik saya belum dicetak sejak perekaman bulan lalu, mohon informasinya.';
const AKTA = 'Saya mau mengurus akta kelahiran anak saya yang lahir minggu lalu, apa saja syaratnya?';
const NIK = '1211024507900003'; // Dairi, a woman born 5 July (19)90

describe('citizen records through the pipeline', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  async function start(shared: string[] = []) {
    env = createTestEnv((c) => ({ ...c, citizens: { ...c.citizens, sharedIdentifiers: shared } }));
    service = await startTestService(env);
    return service;
  }

  test('the same mailbox in another case is one record; its team mail lists the earlier ticket', async () => {
    const s = await start();
    const first = await submitAndWait(s, emailComplaint('Rosma@Example.com', KTP));
    await teamMailText(env, first);
    const second = await submitAndWait(s, emailComplaint('rosma@EXAMPLE.com', AKTA));
    const citizen = await s.store.citizenOfTicket(first.id);
    expect(citizen).toBeDefined();
    expect(await s.store.citizenOfTicket(second.id)).toBe(citizen);
    expect((await s.store.getCitizen(citizen!))!.identifiers.map((i) => i.key)).toEqual(['email:rosma@example.com']);
    const mail = await teamMailText(env, second);
    expect(mail).toContain('Tiket lain dari pelapor ini:');
    const label = env.config.categories[first.classification.category].label;
    expect(mail).toContain(`  - ${first.ticketNumber} | ${label} | ditangani tim | Email | Senin, 30 November 2026`);
    expect(mail).not.toContain('Mungkin orang yang sama');
    // The first ticket's mail had nothing to list.
    expect(await teamMailText(env, first)).not.toContain('Tiket lain dari pelapor ini');
  });

  test.each([
    ['messenger', { platformUserId: '24680135791' }],
    ['instagram', { platformUserId: '17841400000000001' }],
    ['perkebbas', { platformUserId: 'akun-778' }],
    ['call-center', { phone: '+6281377712345' }],
  ] as const)('%s: two complaints of one sender are one record', async (channel, complainant) => {
    const s = await start();
    const draft = (text: string): ComplaintInputDraft => ({
      channel,
      sourceId: uniqueId(channel),
      receivedAt: '2026-11-30T09:00:00+07:00',
      complainant: { ...complainant },
      text,
    });
    const a = await submitAndWait(s, draft(KTP));
    const b = await submitAndWait(s, draft(AKTA));
    const citizen = await s.store.citizenOfTicket(a.id);
    expect(await s.store.citizenOfTicket(b.id)).toBe(citizen);
    expect((await s.store.citizenTickets(citizen!)).map((t) => t.ticketNumber).sort()).toEqual(
      [a.ticketNumber, b.ticketNumber].sort(),
    );
  });

  test('the same phone on WhatsApp and the call-center (written 0812-…) is a hint, never a merge', async () => {
    const s = await start();
    const wa = await submitAndWait(s, whatsappComplaint('6281234567890', KTP));
    const call = await submitAndWait(s, {
      channel: 'call-center',
      sourceId: uniqueId('call'),
      receivedAt: '2026-11-30T10:00:00+07:00',
      complainant: { name: 'Penelepon', phone: '+6281234567890' },
      text: AKTA,
    });
    const waCitizen = await s.store.citizenOfTicket(wa.id);
    const callCitizen = await s.store.citizenOfTicket(call.id);
    expect(callCitizen).not.toBe(waCitizen);
    expect(await s.store.linkedCitizens(callCitizen!)).toEqual([callCitizen]);
    expect((await s.store.getCitizen(waCitizen!))!.identifiers.map((i) => [i.key, i.role])).toEqual([
      ['whatsapp:6281234567890', 'primary'],
      ['phone:+6281234567890', 'contact'],
    ]);
    const mail = await teamMailText(env, call);
    expect(mail).toContain('Mungkin orang yang sama: nomor telepon +62********890 juga dipakai');
    expect(mail).toContain(`${wa.ticketNumber} | `);
    expect(mail).toContain('| WhatsApp |');
    expect(mail).not.toContain('Tiket lain dari pelapor ini');
  });

  test('a matching valid NIK links WhatsApp and email; an invalid one does not', async () => {
    const s = await start();
    const mail1 = await submitAndWait(s, emailComplaint('rosma@example.com', `${KTP} NIK ${NIK}`));
    const wa = await submitAndWait(s, whatsappComplaint('6281234567890', `${AKTA} NIK saya ${NIK}`));
    const a = (await s.store.citizenOfTicket(mail1.id))!;
    const b = (await s.store.citizenOfTicket(wa.id))!;
    expect(a).not.toBe(b);
    expect((await s.store.linkedCitizens(b)).sort()).toEqual([a, b].sort());
    expect((await s.store.citizenAudit(a)).map((e) => [e.action, e.by])).toEqual([['link', 'system']]);
    const text = await teamMailText(env, wa);
    expect(text).toContain('Tiket lain dari pelapor ini:');
    expect(text).toContain(`${mail1.ticketNumber} | `);

    // Province 99 does not exist: the same typo on two records links nothing.
    const badNik = '9911024507900003';
    const x = await submitAndWait(s, emailComplaint('x@example.com', `${KTP} NIK ${badNik}`));
    const y = await submitAndWait(s, emailComplaint('y@example.com', `${AKTA} NIK ${badNik}`));
    expect(await s.store.linkedCitizens((await s.store.citizenOfTicket(y.id))!)).toHaveLength(1);
    expect(await s.store.linkedCitizens((await s.store.citizenOfTicket(x.id))!)).toHaveLength(1);
  });

  test('a shared operator mailbox and a shared family phone never link, never hint', async () => {
    const s = await start(['operator.desa.sitinjo@gmail.com', '0813 7000 1111']);
    const a = await submitAndWait(s, emailComplaint('Operator.Desa.Sitinjo@gmail.com', KTP));
    const b = await submitAndWait(s, emailComplaint('operator.desa.sitinjo@gmail.com', AKTA));
    const wa = await submitAndWait(s, whatsappComplaint('6281370001111', KTP));
    const call = await submitAndWait(s, {
      channel: 'walk-in',
      sourceId: uniqueId('walk'),
      receivedAt: '2026-11-30T10:00:00+07:00',
      complainant: { name: 'Ibu', phone: '+6281370001111', email: 'operator.desa.sitinjo@gmail.com' },
      text: AKTA,
    });
    const ids = await Promise.all([a, b, wa, call].map((t) => s.store.citizenOfTicket(t.id)));
    expect(new Set(ids).size).toBe(4);
    for (const t of [b, wa, call]) {
      const mail = await teamMailText(env, t);
      expect(mail).not.toContain('Tiket lain dari pelapor ini');
      expect(mail).not.toContain('Mungkin orang yang sama');
    }
    expect(await s.store.findCitizen('email:operator.desa.sitinjo@gmail.com')).toEqual([]);
    expect(await s.store.findCitizen('phone:+6281370001111')).toEqual([]);
  });
});
