import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseCsvChunk } from '../../src/channels/callcenter/csv-chunk';
import { splitJsonLines } from '../../src/channels/callcenter/jsonl-chunk';
import { normalizeCall } from '../../src/channels/callcenter/normalize';
import { normalizeEmail } from '../../src/channels/email/normalize';
import { parseEmail } from '../../src/channels/email/parse';
import { splitReply, trimBlock } from '../../src/channels/email/reply-split';
import { normalizePolledMessage, normalizeWebhookPayload } from '../../src/channels/meta/normalize';
import { slipLine, walkInComplaint } from '../../src/channels/offline/normalize';
import { normalizeWhatsAppWebhook } from '../../src/channels/whatsapp/normalize';
import { splitMessage } from '../../src/channels/shared/split-message';
import { normalizePhone } from '../../src/domain/phone';
import { parseOfficeTime } from '../../src/channels/shared/local-time';
import { mapRecord } from '../../src/channels/portal/normalize';
import { nextFromLinkHeader } from '../../src/channels/portal/page-request';
import { loadClassifierInputs } from '../../src/config/classifier-data';
import { loadConfig } from '../../src/config/load';
import { buildClassifier } from '../../src/domain/classification';
import { maskIdentityNumbers, redactPersonalData } from '../../src/domain/personal-data';
import { sanitizeLine, sanitizeText } from '../../src/domain/text-sanitizer';
import { terminalSafe } from '../../src/lib/terminal-safe';
import { toCsv } from '../../src/lib/csv';

const OFFLINE_CONTEXT = { timeZone: 'Asia/Jakarta', now: new Date('2026-11-30T02:00:00Z') };

/**
 * The adversarial corpus for every parser of untrusted text: input shapes known to make
 * backtracking regular expressions and per-line loops super-linear (long runs of spaces, digits,
 * quotes, `>` quote markers, nested HTML, separators that almost make a number, long header values),
 * generated at any size, and the parsers they go through, each the real function a channel calls.
 * Used by tests/unit/hostile/adversarial.test.ts (a generous bound) and bench/hostile-parsers.ts.
 */

/** The repository root, from tests/support or from its build in dist/tests/support. */
const REPO = [path.resolve(__dirname, '../..'), path.resolve(__dirname, '../../..')].find((dir) =>
  existsSync(path.join(dir, 'config', 'default.yaml')),
)!;

/** Repeats `unit` up to about `size` characters, then appends `tail`. */
const fill = (unit: string, size: number, tail = '') => unit.repeat(Math.max(1, Math.floor(size / unit.length))) + tail;

export const HOSTILE_SHAPES: Record<string, (size: number) => string> = {
  'spaces then a letter': (n) => fill(' ', n, 'x'),
  'spaces, nbsp and tabs then a letter': (n) => fill(' \u00a0\t', n, 'x'),
  '400-digit lines': (n) => fill(`${'7'.repeat(400)}\n`, n),
  'one digit run': (n) => fill('1', n, 'x'),
  'digit groups almost a NIK': (n) => fill('1211 0255 0690 000 ', n),
  'phone prefixes': (n) => fill('+62 (0) 8', n),
  'dates and amounts': (n) => fill('02-12-2026 Rp 350.000 ', n),
  'quote markers': (n) => fill('> ', n, 'x'),
  'quoted lines': (n) => fill('> balasan\n', n),
  'double quotes': (n) => fill('"', n, 'x'),
  'nested html': (n) => fill('<div><b>', n, 'isi'),
  'unclosed table cells': (n) => fill('<td>a', n),
  'table rows': (n) => fill('<tr><td>a<td>b', n),
  'unclosed script links': (n) => fill('[javascript:', n),
  'reply header bait': (n) => fill('Pada Sen 1 ', n, 'menulis'),
  'signature bait': (n) => `teks aduan\nHormat saya${fill(' ', n, 'x')}`,
  'blank lines': (n) => fill('\n', n, 'x'),
  'carriage returns': (n) => fill('\r', n, 'x'),
  'control characters': (n) => fill('\u0000\u0007\u001b[2J\u0008', n),
  'bidi and zero-width': (n) => fill('\u202e\u2066\u200b\u200d', n, 'x'),
  'lone surrogates': (n) => fill('\ud800a', n),
  'ticket number bait': (n) => fill('ADU-2026-', n, '1'.repeat(64)),
  'link header bait': (n) => fill('<a>; rel=next ', n),
  'commas and semicolons': (n) => fill(';, =+', n),
  'long words': (n) => fill('permohonanaktakelahiran', n),
};

export interface HostileParser {
  name: string;
  run(input: string): unknown;
}

function emlWith(subject: string, body: string): Buffer {
  return Buffer.from(
    `From: Warga <warga@example.net>\r\nTo: pengaduan@disdukcapil.dairikab.go.id\r\nSubject: ${subject.replace(/[\r\n]/g, ' ')}\r\n` +
      `Message-ID: <adv@example.net>\r\nDate: Mon, 30 Nov 2026 09:00:00 +0700\r\nMIME-Version: 1.0\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body}`,
  );
}

function emailContext() {
  return {
    ownAddresses: new Set(['pengaduan@disdukcapil.dairikab.go.id']),
    ownDomain: 'disdukcapil.dairikab.go.id',
    attachments: { folder: '/tmp/aduan-adversarial', maxBytes: 1 },
    now: new Date('2026-11-30T02:00:00Z'),
    origin: 'adversarial',
  };
}

/** Every parser of untrusted text, as the channels call it. Building them loads the shipped config once. */
export function hostileParsers(): HostileParser[] {
  const config = loadConfig(path.join(REPO, 'config'));
  const classifier = buildClassifier({
    ...loadClassifierInputs({ configDir: path.join(REPO, 'config'), minConfidence: 0.35 }),
    minConfidence: 0.35,
  });
  const portal = config.channels.perkebbas!;
  const account = { channel: 'messenger' as const, ownId: '104000000000001' };
  const callContext = { timeZone: 'Asia/Jakarta', dateOrder: 'dmy' as const, file: 'adv.csv', row: 2 };
  const callLabels = {
    time: 'Waktu',
    caller: 'Nomor Penelepon',
    agent: 'Agen',
    notes: 'Ringkasan',
    nik: 'NIK',
    name: 'Nama Penelepon',
  };
  return [
    {
      name: 'email: body (mailparser + normalize)',
      run: async (s: string) => normalizeEmail(await parseEmail(emlWith('Aduan', s)), emailContext()),
    },
    {
      name: 'email: subject (mailparser + normalize)',
      run: async (s: string) => normalizeEmail(await parseEmail(emlWith(s.slice(0, 200_000), 'isi')), emailContext()),
    },
    {
      name: 'email: html body',
      run: async (s: string) =>
        normalizeEmail(
          await parseEmail(
            Buffer.from(
              emlWith('Aduan', `<html><body>${s}</body></html>`).toString().replace('text/plain', 'text/html'),
            ),
          ),
          emailContext(),
        ),
    },
    {
      name: 'email: reply split',
      run: (s: string) => splitReply(`Aduan saya:\n${s}\n\nOn Mon, 30 Nov 2026 X <x@y.id> wrote:\n> lama`),
    },
    { name: 'email: trimBlock', run: (s: string) => trimBlock(s) },
    {
      name: 'meta: webhook payload',
      run: (s: string) =>
        normalizeWebhookPayload(
          {
            object: 'page',
            entry: [
              {
                id: account.ownId,
                time: 1796007600000,
                messaging: [
                  {
                    sender: { id: '8000000000000013' },
                    recipient: { id: account.ownId },
                    timestamp: 1796007600000,
                    message: { mid: 'm_adv', text: s },
                  },
                ],
              },
            ],
          },
          [account],
          new Date('2026-11-30T02:00:00Z'),
        ),
    },
    {
      name: 'meta: polled message',
      run: (s: string) =>
        normalizePolledMessage(
          {
            id: 'm_adv',
            created_time: '2026-11-30T02:00:00+0000',
            from: { id: '8000000000000013', name: s.slice(0, 100_000) },
            message: s,
          } as never,
          account,
          't_1',
        ),
    },
    {
      name: 'whatsapp: webhook payload (text, caption, location, contacts, button)',
      run: (s: string) => {
        const value = (messages: unknown[]) => ({
          messaging_product: 'whatsapp',
          metadata: { phone_number_id: '106540352242922' },
          contacts: [{ wa_id: '6281376543210', profile: { name: s.slice(0, 100_000) } }],
          messages,
        });
        const base = { from: '6281376543210', timestamp: '1796007600' };
        return normalizeWhatsAppWebhook(
          {
            object: 'whatsapp_business_account',
            entry: [
              {
                id: '1',
                changes: [
                  { field: 'messages', value: value([{ ...base, id: 'wamid.a', type: 'text', text: { body: s } }]) },
                  {
                    field: 'messages',
                    value: value([
                      { ...base, id: 'wamid.b', type: 'image', image: { id: '1', caption: s, filename: s } },
                      { ...base, id: 'wamid.c', type: 'location', location: { name: s, address: s, latitude: s } },
                      {
                        ...base,
                        id: 'wamid.d',
                        type: 'contacts',
                        contacts: [{ name: { formatted_name: s }, phones: [{ phone: s }] }],
                      },
                      { ...base, id: 'wamid.e', type: 'button', button: { text: s, payload: s } },
                    ]),
                  },
                ],
              },
            ],
          },
          new Set(['106540352242922']),
          new Date('2026-11-30T02:00:00Z'),
        );
      },
    },
    { name: 'whatsapp: reply split at 4,096 characters', run: (s: string) => splitMessage(s, 4096) },
    {
      name: 'phone: normalization (every channel)',
      run: (s: string) => [normalizePhone(s), normalizePhone(s.slice(0, 64))],
    },
    {
      name: 'portal: record mapping',
      run: (s: string) =>
        mapRecord(
          {
            id: 'PKB-ADV',
            dibuat_pada: '2026-11-30T09:00:00+07:00',
            judul: s.slice(0, 100_000),
            isi: s,
            pelapor: { nama: s.slice(0, 10_000), telepon: s.slice(0, 1000), nik: s.slice(0, 1000) },
          },
          portal.mapping,
          { channel: 'perkebbas', timeZone: 'Asia/Jakarta', dateOrder: 'dmy' },
        ),
    },
    {
      name: 'portal: time parsing',
      run: (s: string) => parseOfficeTime(`2026-11-30${s}`, { timeZone: 'Asia/Jakarta', dateOrder: 'dmy' }),
    },
    { name: 'portal: Link header', run: (s: string) => nextFromLinkHeader(`<https://p.example/a>; rel="${s}", ${s}`) },
    {
      name: 'call center: CSV (256 KB batches)',
      run: (s: string) =>
        csvInBatches(Buffer.from(`Waktu;Nomor Penelepon;Agen;Ringkasan\n30/11/2026 10.20;0812;A;${s}\n`)),
    },
    {
      name: 'call center: JSON lines',
      run: (s: string) =>
        splitJsonLines(Buffer.from(`${JSON.stringify({ notes: s })}\n${s}\n`), { atFileStart: true, final: true }),
    },
    {
      name: 'call center: normalize',
      run: (s: string) =>
        normalizeCall(
          {
            time: `30/11/2026 10.20${s.slice(0, 1000)}`,
            caller: s.slice(0, 1000),
            agent: 'A',
            notes: s,
            nik: s.slice(0, 1000),
            name: s.slice(0, 1000),
          },
          callLabels,
          callContext,
        ),
    },
    {
      name: 'offline: walk-in form',
      run: (s: string) =>
        walkInComplaint({ queue: 'A012', name: s.slice(0, 1000), phone: s.slice(0, 1000), text: s }, OFFLINE_CONTEXT),
    },
    {
      name: 'offline: suggestion slip',
      run: (s: string) => slipLine(JSON.stringify({ slip: 'K1', text: s, name: s.slice(0, 1000) }), 1, OFFLINE_CONTEXT),
    },
    { name: 'classifier', run: (s: string) => classifier.classify({ subject: s.slice(0, 1000), text: s }) },
    { name: 'masking: team mail (NIK/KK)', run: (s: string) => maskIdentityNumbers(s) },
    { name: 'masking: log scrubber', run: (s: string) => redactPersonalData(JSON.stringify({ msg: s })) },
    { name: 'sanitizer: text', run: (s: string) => sanitizeText(s) },
    { name: 'sanitizer: line', run: (s: string) => sanitizeLine(s, 200) },
    { name: 'terminal escaping', run: (s: string) => terminalSafe(s) },
    { name: 'CSV export', run: (s: string) => toCsv([[s, s]]) },
  ];
}

/** As the call-center watcher reads a log (log-file.ts): 256 KB at a time, resuming where a batch's records end. */
function csvInBatches(file: Buffer): number {
  let position = 0;
  let records = 0;
  let batch = 256 * 1024;
  while (position < file.length) {
    const end = Math.min(file.length, position + batch);
    const chunk = parseCsvChunk(file.subarray(position, end), {
      delimiter: ';',
      encoding: 'utf8',
      atFileStart: position === 0,
      final: end === file.length,
    });
    if (chunk.consumed === 0) {
      if (end === file.length) break;
      batch *= 2;
      continue;
    }
    records += chunk.items.length;
    position += chunk.consumed;
    batch = 256 * 1024;
  }
  return records;
}

export interface Timing {
  parser: string;
  shape: string;
  ms: number;
}

/** Runs every shape at `size` characters through one parser; the slowest first. */
export async function timeParser(parser: HostileParser, size: number): Promise<Timing[]> {
  const timings: Timing[] = [];
  for (const [shape, make] of Object.entries(HOSTILE_SHAPES)) {
    const input = make(size);
    const started = process.hrtime.bigint();
    await parser.run(input);
    timings.push({ parser: parser.name, shape, ms: Number(process.hrtime.bigint() - started) / 1e6 });
  }
  return timings.sort((a, b) => b.ms - a.ms);
}
