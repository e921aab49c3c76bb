import type { Ticket } from '../../../src/domain/complaint';
import { waitFor } from '../../support/service-harness';
import { staffAnswer, tokenTagOf } from '../../support/staff-mail';
import { BUDI, decodeMail, startMetaHarness, type MetaHarness } from './meta-test-env';

/**
 * Issue #16 item 10 on Messenger (real pipeline, the real Send API transport, the loopback fake Graph
 * server): a #tanya answer reaches the citizen and the ticket waits; their reply in the conversation ends
 * the wait; the answer resolves it; a 👍 changes nothing; a new question in the conversation reopens the
 * ticket (no new ticket, no second initial response); after the window (60 s; the message is dated ten
 * minutes on) the conversation's next message is a new ticket.
 */

jest.setTimeout(90_000);

describe('Messenger: a ticket life across the conversation', () => {
  let h: MetaHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('asks, resumes, resolves, ignores a 👍, reopens within the window and starts a new ticket after it', async () => {
    h = await startMetaHarness({ config: (c) => ({ ...c, sla: { ...c.sla, reopenWindowSeconds: 60 } }) });
    const harness = h;
    const store = h.service.store;
    h.fake.addInbound('messenger', BUDI, 'Selamat siang, akta kelahiran anak saya belum terbit');
    await waitFor(async () => harness.fake.sendCalls().length === 1, 10_000, 'the initial reply');
    const [ticket] = await h.tickets();
    await waitFor(
      async () => (await store.listEffects(ticket!.id)).filter((e) => e.state === 'done').length >= 2,
      15_000,
      'first effects',
    );
    const statusIs = (status: Ticket['status'], what: string) =>
      waitFor(async () => (await store.getTicket(ticket!.id))?.status === status, 15_000, what);
    const teamMails = async (prefix: string) => {
      const files = harness.outbox().filter((f) => f.startsWith(`${tokenTagOf(ticket!.ticketNumber)}.fu-`));
      const texts = await Promise.all(files.map((f) => decodeMail(harness.outboxText(f))));
      return texts.filter((t) => t.includes(`] ${prefix}:`));
    };
    const sentTexts = () => harness.fake.sentTo(BUDI.id).map((m) => m.text ?? '');

    // The team asks: the citizen gets the question without the mark; the ticket waits on them.
    await h.service.sink.submit(
      staffAnswer(h, (await store.getTicket(ticket!.id))!, '#tanya\nMohon kirimkan nomor registrasi akta Anda.'),
      {
        channel: 'email',
      },
    );
    await waitFor(async () => harness.fake.sendCalls().length === 2, 10_000, 'the question sent');
    expect(sentTexts()[1]).toContain('Mohon kirimkan nomor registrasi akta Anda.');
    expect(sentTexts()[1]).not.toContain('#tanya');
    await statusIs('waiting-citizen', 'waiting on the citizen');

    // The citizen answers in the conversation: the wait ends and the team gets it.
    h.fake.addInbound('messenger', BUDI, 'Nomor registrasinya 12/2026');
    await statusIs('routed', 'back with the team');
    await waitFor(async () => (await teamMails('Jawaban warga')).length === 1, 10_000, "the citizen's answer mailed");

    // The answer resolves it (answers come from the team the ticket is with now: a reply may have re-routed it).
    await h.service.sink.submit(
      staffAnswer(h, (await store.getTicket(ticket!.id))!, 'Akta sudah terbit, silakan ambil di loket 3.'),
      {
        channel: 'email',
      },
    );
    await statusIs('resolved', 'resolved');

    // A 👍 is recorded, nothing else.
    const thumbs = h.fake.addInbound('messenger', BUDI, '👍');
    await waitFor(
      async () => (await store.getTicket(ticket!.id))?.history.some((e) => e.ref === thumbs.messageId),
      10_000,
      'the 👍 on the ticket',
    );
    expect((await store.getTicket(ticket!.id))?.status).toBe('resolved');

    // A new question within the window reopens the ticket.
    h.fake.addInbound('messenger', BUDI, 'Pak, nama ayah di akta salah satu huruf, bagaimana memperbaikinya?');
    await statusIs('reopened', 'reopened');
    const [reopenedMail] = await waitFor(
      async () => {
        const mails = await teamMails('Dibuka kembali');
        return mails.length ? mails : undefined;
      },
      10_000,
      'the reopened team mail',
    );
    expect(reopenedMail).toContain('tiket dibuka kembali');
    expect(reopenedMail).toContain('nama ayah di akta salah satu huruf');
    expect(await h.tickets()).toHaveLength(1);
    expect(h.fake.sendCalls()).toHaveLength(3); // initial reply, question, solution: no second initial reply
    const history = (await store.getTicket(ticket!.id))!.history;
    expect(history.find((e) => e.ref === thumbs.messageId)?.event).toBe('citizen-ack');
    expect(await teamMails('Tindak lanjut')).toHaveLength(0); // the 👍 was not forwarded

    // Resolved again; the conversation's next message, past the window, is a new ticket with its own reply.
    await h.service.sink.submit(
      staffAnswer(h, (await store.getTicket(ticket!.id))!, 'Silakan bawa akta asli ke loket 2.'),
      { channel: 'email' },
    );
    await statusIs('resolved', 'resolved again');
    const later = h.fake.addInbound('messenger', BUDI, 'Selamat pagi, saya mau mengurus KIA untuk anak kedua.', {
      at: Date.now() + 10 * 60_000,
    });
    const tickets = await waitFor(
      async () => {
        const all = await harness.tickets();
        return all.length === 2 ? all : undefined;
      },
      15_000,
      'a new ticket',
    );
    expect(tickets.find((t) => t.id !== ticket!.id)?.sourceId).toBe(later.messageId);
    await waitFor(async () => harness.fake.sendCalls().length === 5, 10_000, 'the new initial reply');
    const old = (await store.getTicket(ticket!.id))!;
    expect(old.status).toBe('resolved');
    expect(old.history.filter((e) => e.event === 'reopened')).toHaveLength(1);
  });
});
