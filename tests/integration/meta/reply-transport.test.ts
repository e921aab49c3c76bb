import { MetaReplyTransport } from '../../../src/channels/meta/reply-transport';
import { GraphClient } from '../../../src/channels/meta/graph-client';
import { RateGate } from '../../../src/channels/meta/rate-gate';
import { InboundClock } from '../../../src/channels/meta/inbound-clock';
import type { MetaAccount } from '../../../src/channels/meta/accounts';
import { createLogger } from '../../../src/lib/logger';
import { NotSentError, type OutgoingMessage } from '../../../src/outbound/message';
import { classifyError } from '../../../src/lib/errors';
import { FakeGraphServer } from '../../support/fake-graph-server';
import type { DeliveryProgress } from '../../../src/outbound/delivery-progress';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PAGE_ID = '104000000000001';
const IG_ID = '17841400000000000';
const TOKEN = 'EAAGreplyTestToken';
const BUDI = { id: '7000000000000001', name: 'Budi Santoso' };
const RINA = { id: '17841446739229368', username: 'rina_sidikalang' };
const RINA_ON_MESSENGER = { id: '7000000000000002', name: 'Rina Sitorus' };
const HOUR = 3_600_000;

describe('MetaReplyTransport against the fake Send API', () => {
  let fake: FakeGraphServer;
  const log = createLogger({ level: 'silent' });
  const transport = (account: MetaAccount, humanAgentTagApproved = false) =>
    new MetaReplyTransport({
      account,
      client: new GraphClient(
        { baseUrl: fake.url, version: 'v24.0', accessToken: TOKEN, timeoutMs: 2000, retryBaseMs: 10 },
        new RateGate({ callsPerSecond: 100, slowDownAtPercent: 80, pauseBaseMs: 100, pauseMaxMs: 100 }),
        log,
      ),
      humanAgentTagApproved,
      log,
    });
  const messenger: MetaAccount = { channel: 'messenger', ownId: PAGE_ID, pageId: PAGE_ID, label: 'Facebook Messenger' };
  const instagram: MetaAccount = { channel: 'instagram', ownId: IG_ID, pageId: PAGE_ID, label: 'Instagram' };
  const message = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    id: 'ADU-2026-000001.ack',
    purpose: 'acknowledgement',
    channel: 'messenger',
    to: [BUDI.id],
    subject: 'Pengaduan Anda diterima',
    text: 'Yth. Budi Santoso,\nPengaduan Anda telah kami terima dengan nomor tiket ADU-2026-000001.',
    ...overrides,
  });

  beforeEach(async () => {
    fake = await FakeGraphServer.start({ pageId: PAGE_ID, igAccountId: IG_ID, accessToken: TOKEN });
  });
  afterEach(() => fake.close());

  it('answers within the window with RESPONSE, and an effect repeated after a crash sends nothing twice', async () => {
    fake.addInbound('messenger', BUDI, 'KTP saya belum jadi', { at: Date.now() - 2 * HOUR });
    const t = transport(messenger);
    expect(await t.deliver(message())).toMatch(/^messenger: sent m_/);
    expect(await t.deliver(message())).toBe('messenger: already in the conversation (sent by an earlier attempt)');
    expect(fake.sendCalls()).toHaveLength(1);
    expect(fake.sendCalls()[0]!.body).toEqual({
      recipient: { id: BUDI.id },
      messaging_type: 'RESPONSE',
      message: { text: message().text },
    });
  });

  describe('the window from the messages already taken in, sends on their own budget', () => {
    const progressOf = (parts = new Set<string>()): DeliveryProgress => ({
      sent: async (part) => parts.has(part),
      record: async (part) => void parts.add(part),
      note: () => undefined,
    });
    const gate = () => new RateGate({ callsPerSecond: 100, slowDownAtPercent: 80, pauseBaseMs: 100, pauseMaxMs: 100 });
    const client = (g: RateGate) =>
      new GraphClient(
        { baseUrl: fake.url, version: 'v24.0', accessToken: TOKEN, timeoutMs: 2000, retryBaseMs: 10 },
        g,
        log,
      );

    it('a first attempt for a citizen the intakes noted is one Send API call, even while reads are paused', async () => {
      fake.addInbound('messenger', BUDI, 'KTP saya belum jadi', { at: Date.now() - 2 * HOUR });
      const inbound = new InboundClock();
      inbound.noteInbound('messenger', BUDI.id, new Date(Date.now() - 2 * HOUR).toISOString());
      const readGate = gate();
      readGate.limited(60_000); // the poller hit the conversation-read limit
      const t = new MetaReplyTransport({
        account: messenger,
        client: client(readGate),
        sender: client(gate()),
        inbound,
        humanAgentTagApproved: false,
        log,
      });
      expect(await t.deliver(message(), progressOf())).toMatch(/^messenger: sent m_/);
      expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual([`POST /${PAGE_ID}/messages`]);
    });

    it('a repeated attempt reads the conversation and sends nothing twice; an unknown citizen is read first', async () => {
      fake.addInbound('messenger', BUDI, 'KTP saya belum jadi', { at: Date.now() - 2 * HOUR });
      const inbound = new InboundClock();
      inbound.noteInbound('messenger', BUDI.id, new Date(Date.now() - 2 * HOUR).toISOString());
      const t = new MetaReplyTransport({
        account: messenger,
        client: client(gate()),
        inbound,
        humanAgentTagApproved: false,
        log,
      });
      const parts = new Set<string>();
      expect(await t.deliver(message(), progressOf(parts))).toMatch(/^messenger: sent m_/);
      expect(await t.deliver(message(), progressOf(parts))).toMatch(/already in the conversation/);
      expect(fake.sendCalls()).toHaveLength(1);
      expect(fake.calls.filter((c) => c.method === 'GET').length).toBeGreaterThan(0);

      // A citizen not noted since the process started: the window is read through Graph.
      fake.addInbound('messenger', RINA_ON_MESSENGER, 'Halo, akta saya?', { at: Date.now() - HOUR });
      const reads = fake.calls.filter((c) => c.method === 'GET').length;
      expect(await t.deliver(message({ id: 'ADU-2026-000002.ack', to: [RINA_ON_MESSENGER.id] }), progressOf())).toMatch(
        /^messenger: sent m_/,
      );
      expect(fake.calls.filter((c) => c.method === 'GET').length).toBeGreaterThan(reads);
    });

    it('outside the window by the noted time, nothing is sent and no call is made', async () => {
      fake.addInbound('messenger', BUDI, 'KTP saya belum jadi', { at: Date.now() - 30 * HOUR });
      const inbound = new InboundClock();
      inbound.noteInbound('messenger', BUDI.id, new Date(Date.now() - 30 * HOUR).toISOString());
      const t = new MetaReplyTransport({
        account: messenger,
        client: client(gate()),
        inbound,
        humanAgentTagApproved: false,
        log,
      });
      await expect(t.deliver(message(), progressOf())).rejects.toThrow(NotSentError);
      expect(fake.calls).toEqual([]);
    });
  });

  it('sends a staff solution after 24 hours with HUMAN_AGENT only when approved, never an automatic message', async () => {
    fake.addInbound('messenger', BUDI, 'Bagaimana kelanjutannya?', { at: Date.now() - 48 * HOUR });
    const solution = message({
      id: 'ADU-2026-000001.solution',
      purpose: 'solution',
      text: 'KTP Anda sudah dapat diambil di kantor Disdukcapil, Sidikalang.',
    });
    await expect(transport(messenger, false).deliver(solution)).rejects.toBeInstanceOf(NotSentError);
    await expect(transport(messenger, true).deliver(message())).rejects.toThrow(/di luar jendela 24 jam/);
    expect(fake.sendCalls()).toHaveLength(0);
    expect(await transport(messenger, true).deliver(solution)).toMatch(/sent with HUMAN_AGENT tag/);
    expect(fake.sendCalls()[0]!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('records a person who blocked the Page (551) as not sent, and a token failure as a permanent error', async () => {
    fake.addInbound('messenger', BUDI, 'halo');
    fake.makeUnreachable(BUDI.id);
    const blocked = await transport(messenger)
      .deliver(message())
      .catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(NotSentError);
    expect((blocked as NotSentError).reason).toMatch(/tidak dapat dihubungi lewat Facebook Messenger/);
    fake.expireToken(460);
    const expired = await transport(messenger)
      .deliver(message())
      .catch((e: unknown) => e);
    expect(classifyError(expired)).toBe('permanent');
  });

  it('splits a long Instagram reply into parts of at most 1000 bytes', async () => {
    fake.addInbound('instagram', RINA, 'halo min');
    const long = Array.from(
      { length: 12 },
      (_, i) => `Baris ${i + 1}: persyaratan pembuatan KIA adalah fotokopi akta kelahiran dan KK asli.`,
    )
      .join('\n')
      .repeat(2);
    expect(await transport(instagram).deliver(message({ channel: 'instagram', to: [RINA.id], text: long }))).toMatch(
      /^instagram: sent .+, .+/,
    );
    const parts = fake.sentTo(RINA.id).map((m) => m.text!);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => Buffer.byteLength(p) <= 1000)).toBe(true);
    expect(parts.join('\n')).toBe(long);
  });

  describe('attachments of a staff answer', () => {
    let dir: string;
    const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x20), Buffer.from('\n%%EOF\n')]);
    const JPEG = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.alloc(2000, 7),
      Buffer.from([0xff, 0xd9]),
    ]);
    const DOCX = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.from('....[Content_Types].xml word/document.xml'),
    ]);
    const file = (name: string, bytes: Buffer, contentType: string) => {
      const at = path.join(dir, name);
      writeFileSync(at, bytes);
      return { filename: name, contentType, path: at };
    };
    /** What the effects stage keeps durably: the parts of a message already sent. */
    const memoryProgress = (): DeliveryProgress & { parts: Map<string, string>; notes: string[] } => {
      const parts = new Map<string, string>();
      const notes: string[] = [];
      return {
        parts,
        notes,
        note: (text) => void notes.push(text),
        sent: async (part) => parts.has(part),
        record: async (part, detail) => void parts.set(part, detail),
      };
    };
    const solution = (channel: 'messenger' | 'instagram', to: string, attachments: OutgoingMessage['attachments']) =>
      message({
        id: 'ADU-2026-000007.sol-0a1b2c3d4e5f',
        purpose: 'solution',
        channel,
        to: [to],
        text: 'Akta kelahiran anak Anda sudah terbit.',
        attachments,
      });

    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'aduan-meta-attach-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('Messenger: the text, then each file as a multipart upload with its type read from the bytes; a retry sends nothing again', async () => {
      fake.addInbound('messenger', BUDI, 'Akta anak saya sudah jadi?', { at: Date.now() - 2 * HOUR });
      // The claimed types are wrong on purpose: what is sent follows the bytes.
      const files = [file('akta.pdf', PDF, 'application/octet-stream'), file('foto.jpg', JPEG, 'application/pdf')];
      const progress = memoryProgress();
      const detail = await transport(messenger).deliver(solution('messenger', BUDI.id, files), progress);
      expect(detail).toMatch(/^messenger: sent m_\S+, akta\.pdf m_\S+, foto\.jpg m_\S+$/);
      const calls = fake.sendCalls();
      expect(calls).toHaveLength(3);
      expect(calls[1]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(calls[1]!.body).toMatchObject({
        recipient: JSON.stringify({ id: BUDI.id }),
        messaging_type: 'RESPONSE',
        message: JSON.stringify({ attachment: { type: 'file', payload: { is_reusable: false } } }),
        filedata: { name: 'akta.pdf', type: 'application/pdf', size: PDF.length },
      });
      expect(calls[2]!.body).toMatchObject({ filedata: { name: 'foto.jpg', type: 'image/jpeg' } });
      expect(JSON.parse(calls[2]!.body!.message as string)).toEqual({
        attachment: { type: 'image', payload: { is_reusable: false } },
      });
      const inConversation = fake.sentTo(BUDI.id);
      expect(inConversation.map((m) => m.text ?? m.attachments!.map((a) => `${a.kind}:${a.name}`).join())).toEqual([
        solution('messenger', BUDI.id, []).text,
        'file:akta.pdf',
        'image:foto.jpg',
      ]);
      expect(fake.uploadedBytes(inConversation[1]!.attachments![0]!.id)).toEqual(PDF);
      // The two files, and the mark that a first attempt started (a repeat reads the conversation).
      expect(progress.parts.has('attempt')).toBe(true);
      expect(progress.parts.size).toBe(3);

      expect(await transport(messenger).deliver(solution('messenger', BUDI.id, files), progress)).toMatch(
        /already in the conversation/,
      );
      expect(fake.sendCalls()).toHaveLength(3);
    });

    it('a retry after a partial send uploads only the files not yet sent', async () => {
      fake.addInbound('messenger', BUDI, 'halo');
      const files = [file('akta.pdf', PDF, 'application/pdf'), file('foto.jpg', JPEG, 'image/jpeg')];
      // The upload of the second file fails on every attempt of the client (3): the effect fails and is retried.
      fake.failNext({ code: 2, times: 3, match: (c) => c.method === 'POST' && fake.sendCalls().length >= 3 });
      const progress = memoryProgress();
      await expect(transport(messenger).deliver(solution('messenger', BUDI.id, files), progress)).rejects.toThrow();
      expect(fake.sentTo(BUDI.id)).toHaveLength(2);
      expect(await transport(messenger).deliver(solution('messenger', BUDI.id, files), progress)).toMatch(
        /sent foto\.jpg m_\S+ \(2 part\(s\) already/,
      );
      const sent = fake.sentTo(BUDI.id);
      expect(sent.map((m) => m.attachments?.[0]?.name ?? 'text')).toEqual(['text', 'akta.pdf', 'foto.jpg']);
    });

    it('Instagram: a PDF and a JPEG are uploaded; a Word file, which Instagram cannot carry, is named in the text', async () => {
      fake.addInbound('instagram', RINA, 'min, aktanya sudah bisa diambil?');
      const files = [
        file('akta.pdf', PDF, 'application/pdf'),
        file('foto.jpg', JPEG, 'image/jpeg'),
        file('surat.docx', DOCX, 'application/msword'),
      ];
      const progress = memoryProgress();
      const detail = await transport(instagram).deliver(solution('instagram', RINA.id, files), progress);
      expect(detail).toMatch(/announced instead of sent: surat\.docx$/);
      expect(progress.notes).toEqual([
        'lampiran tidak dapat dikirim lewat Instagram dan disebutkan dalam pesan: surat.docx (jenis berkas ini tidak dapat dikirim lewat Instagram)',
      ]);
      const sent = fake.sentTo(RINA.id);
      expect(sent.map((m) => m.attachments?.[0]?.kind ?? 'text')).toEqual(['text', 'file', 'image']);
      expect(sent[0]!.text).toContain(
        'Lampiran berikut tidak dapat dikirim lewat Instagram:\n- surat.docx (jenis berkas ini tidak dapat dikirim lewat Instagram)',
      );
      expect(sent[0]!.text).toContain('sebutkan nomor pengaduan ADU-2026-000007.');
    });

    it("a file over Meta's limit for its type is announced, never uploaded; outside the window nothing is sent", async () => {
      fake.addInbound('messenger', BUDI, 'halo');
      const big = file('scan-besar.jpg', Buffer.concat([JPEG, Buffer.alloc(8 * 1024 * 1024)]), 'image/jpeg');
      const detail = await transport(messenger).deliver(
        solution('messenger', BUDI.id, [big, file('akta.pdf', PDF, 'application/pdf')]),
        memoryProgress(),
      );
      expect(detail).toMatch(/announced instead of sent: scan-besar\.jpg$/);
      expect(fake.sendCalls().map((c) => (c.body?.filedata as { name?: string } | undefined)?.name ?? 'text')).toEqual([
        'text',
        'akta.pdf',
      ]);
      expect(fake.sentTo(BUDI.id)[0]!.text).toContain(
        '- scan-besar.jpg (lebih besar dari batas 8 MB Facebook Messenger)',
      );

      fake.addInbound('messenger', RINA_ON_MESSENGER, 'halo', { at: Date.now() - 30 * HOUR });
      const late = transport(messenger).deliver(
        solution('messenger', RINA_ON_MESSENGER.id, [file('a.pdf', PDF, 'application/pdf')]),
        memoryProgress(),
      );
      await expect(late).rejects.toBeInstanceOf(NotSentError);
      expect(fake.sendCalls()).toHaveLength(2);
    });

    it('a file Meta refuses (code 100) is noted for staff and not retried; the other files still go', async () => {
      fake.addInbound('messenger', BUDI, 'halo');
      const files = [file('akta.pdf', PDF, 'application/pdf'), file('foto.jpg', JPEG, 'image/jpeg')];
      fake.failNext({
        code: 100,
        subcode: 2018047,
        message: '(#100) Upload attachment failure.',
        match: (c) => c.method === 'POST' && fake.sendCalls().length === 2,
      });
      const progress = memoryProgress();
      expect(await transport(messenger).deliver(solution('messenger', BUDI.id, files), progress)).toMatch(
        /akta\.pdf refused, foto\.jpg m_/,
      );
      expect(fake.sentTo(BUDI.id).map((m) => m.attachments?.[0]?.name ?? 'text')).toEqual(['text', 'foto.jpg']);
      expect(progress.notes).toEqual([
        expect.stringMatching(/^lampiran akta\.pdf ditolak Meta \(.*Upload attachment failure.*\); mohon kirimkan/),
      ]);
      expect(await transport(messenger).deliver(solution('messenger', BUDI.id, files), progress)).toMatch(
        /already in the conversation/,
      );
      expect(fake.sendCalls()).toHaveLength(3);
    });

    it('the fake Send API refuses an upload as Meta does: no filedata, a file over the limit', async () => {
      fake.addInbound('messenger', BUDI, 'halo');
      const client = new GraphClient(
        { baseUrl: fake.url, version: 'v24.0', accessToken: TOKEN, timeoutMs: 5000, attempts: 1 },
        new RateGate({ callsPerSecond: 100, slowDownAtPercent: 80, pauseBaseMs: 100, pauseMaxMs: 100 }),
        log,
      );
      const form = (bytes?: Buffer) => {
        const f = new FormData();
        f.append('recipient', JSON.stringify({ id: BUDI.id }));
        f.append('messaging_type', 'RESPONSE');
        f.append('message', JSON.stringify({ attachment: { type: 'image', payload: { is_reusable: false } } }));
        if (bytes) f.append('filedata', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'x.jpg');
        return f;
      };
      const missing = await client.postForm(`${PAGE_ID}/messages`, form()).catch((e: unknown) => e);
      expect(missing).toMatchObject({ message: expect.stringMatching(/Upload attachment failure/) });
      const tooLarge = await client
        .postForm(`${PAGE_ID}/messages`, form(Buffer.concat([JPEG, Buffer.alloc(8 * 1024 * 1024)])))
        .catch((e: unknown) => e);
      expect(tooLarge).toMatchObject({ message: expect.stringMatching(/larger than the 8 MB limit/) });
      expect(classifyError(tooLarge)).toBe('permanent');
      expect(fake.sentTo(BUDI.id)).toHaveLength(0);
    });
  });
});
