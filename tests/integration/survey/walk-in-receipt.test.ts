import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTicketResolve } from '../../../src/cli/commands/ticket';
import { effectKey } from '../../../src/store/store';
import {
  decodeTerminalQrs,
  printedLinks,
  startWalkInReceipt,
  type WalkInReceiptFixture,
} from '../../support/walk-in-receipt';

/**
 * A walk-in's receipt carries the survey link (issue #21): stored before it is printed, shown as text and as
 * a QR code (read back with a real decoder), opening a "masih diproses" page until the ticket is resolved,
 * then taking one submission for linkValidDays from the resolution. Suggestion-box slips get none, and no
 * invitation effect is ever sent for a walk-in.
 */

let fixture: WalkInReceiptFixture;
afterEach(async () => {
  await fixture?.close();
});

const WALK_IN = {
  channel: 'walk-in',
  queue: 'B007',
  name: 'Hotman Nainggolan',
  phone: '0813 7000 4455',
  nik: '1211021505800001',
  text: 'KTP-el saya belum jadi padahal sudah rekam sejak bulan lalu, mohon dibantu.',
};

function sink() {
  let text = '';
  return {
    stream: { write: (c: string) => ((text += c), true) } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

async function resolve(ticketNumber: string) {
  const out = sink();
  const code = await runTicketResolve(
    fixture.env.config,
    ticketNumber,
    'KTP-el sudah dicetak dan diambil',
    out.stream,
    sink().stream,
  );
  expect(code).toBe(0);
}

/** Answers the form as a browser would: GET for the cookie and the CSRF token, then POST. */
async function submit(url: string, overall = '4'): Promise<Response> {
  const form = await fetch(url);
  const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
      origin: new URL(url).origin,
    },
    body: `csrf=${encodeURIComponent(csrf)}&overall=${overall}&U1=3`,
  });
}

test('the receipt carries a short link and its QR code; before the answer the page says "masih diproses", after it takes one submission', async () => {
  fixture = await startWalkInReceipt();
  const html = path.join(fixture.env.dir, 'tanda-terima.html');
  const { code, out, err } = await fixture.intake({ ...WALK_IN, receipt: html });
  expect(code).toBe(0);
  expect(err).toContain(`Tanda terima untuk dicetak: ${html}`);
  const [url, ...more] = printedLinks(out);
  expect(more).toEqual([]);
  expect(url).toMatch(new RegExp(`^${fixture.env.config.survey.publicBaseUrl}/survei/[0-9a-hjkmnp-tv-z]{13}$`));
  // No ticket number in the link; the QR code says exactly the link.
  expect(url).not.toMatch(/ADU|\d{4}-\d{6}/);
  expect(decodeTerminalQrs(out)).toEqual([url]);
  expect(out).toContain('SURVEI KEPUASAN');
  expect(out).toContain('selama 14 hari sejak itu');
  // The printable receipt: the same link, an inline SVG QR code, nothing fetched from elsewhere.
  const printable = readFileSync(html, 'utf8');
  expect(printable.replaceAll('<wbr>', '')).toContain(url);
  expect(printable).toMatch(/<svg [^>]*aria-label="Kode QR tautan survei kepuasan"/);
  expect(printable).not.toMatch(/(src|href)=|url\(|@import/);

  const ticketNumber = /Nomor tiket\s+: (\S+)/.exec(out)![1]!;
  // The label lines print as rows, so a long value wraps under itself on a narrow receipt.
  expect(printable).toContain(`<dt>Nomor tiket</dt><dd>${ticketNumber}</dd>`);
  const pending = await fetch(url!);
  expect(pending.status).toBe(200);
  const pendingPage = await pending.text();
  expect(pendingPage).toContain('Pengaduan Anda masih diproses');
  expect(pendingPage).not.toContain('<form');
  for (const secret of [ticketNumber, 'Hotman', '1211021505800001', 'KTP-el saya'])
    expect(pendingPage).not.toContain(secret);
  // A forged early POST stores nothing.
  expect((await submit(url!)).status).toBe(409);

  await resolve(ticketNumber);
  const ticket = (await fixture.store.getTicketByNumber(ticketNumber))!;
  const accepted = await submit(url!, '3');
  expect(accepted.status).toBe(200);
  expect(await accepted.text()).toContain('Penilaian Anda sudah kami terima');
  expect(await fixture.store.getSurveyResponseOfTicket(ticket.id)).toMatchObject({
    source: 'closure',
    via: 'page',
    overall: 3,
    channel: 'walk-in',
    ticketNumber,
  });
  const again = await fetch(url!);
  expect(again.status).toBe(410);
  expect(await again.text()).toContain('Survei sudah diisi');
  // Typed from the paper in capitals, with an O for a 0: the same link.
  const typed = url!.replace(/[^/]+$/, (token) => token.toUpperCase().replace(/0/g, 'O'));
  expect((await fetch(typed)).status).toBe(410);
  // No invitation effect for a walk-in: the survey effect plan skips it (no channel to send on).
  expect(await fixture.store.getEffect(effectKey(ticket.id, 'survey'))).toBeUndefined();
});

test('validity counts from the resolution; an unknown or expired link explains itself', async () => {
  fixture = await startWalkInReceipt({ linkValidDays: 3 });
  const { out } = await fixture.intake(WALK_IN);
  const [url] = printedLinks(out);
  const ticketNumber = /Nomor tiket\s+: (\S+)/.exec(out)![1]!;
  // Weeks pass before the answer: the link still waits, it does not run out.
  fixture.clock.set(new Date(Date.now() + 20 * 24 * 3_600_000));
  expect(await (await fetch(url!)).text()).toContain('masih diproses');
  fixture.clock.set(new Date());
  await resolve(ticketNumber);
  fixture.clock.set(new Date(Date.now() + 2 * 24 * 3_600_000));
  expect((await fetch(url!)).status).toBe(200);
  fixture.clock.set(new Date(Date.now() + 4 * 24 * 3_600_000));
  const expired = await fetch(url!);
  expect(expired.status).toBe(410);
  expect(await expired.text()).toContain('masa berlaku tautan survei ini sudah habis');

  const unknown = await fetch(url!.replace(/[^/]+$/, 'abcdefghjkmnp'));
  expect(unknown.status).toBe(404);
  expect(await unknown.text()).toContain('Tautan survei ini tidak dikenal');
});

test('a walk-in entered while Redis is down still gets a working link; slips and a survey that is off get none', async () => {
  fixture = await startWalkInReceipt();
  const down = { ...fixture.env.config, redis: { ...fixture.env.config.redis, url: 'redis://127.0.0.1:1' } };
  const offline = await fixture.intake(WALK_IN, down);
  expect(offline.code).toBe(0);
  expect(offline.err).toContain('tidak dapat dihubungi');
  const [url] = printedLinks(offline.out);
  expect(url).toBeDefined();
  expect(await (await fetch(url!)).text()).toContain('masih diproses');
  await resolve(/Nomor tiket\s+: (\S+)/.exec(offline.out)![1]!);
  expect((await submit(url!)).status).toBe(200);

  // A batch of walk-ins from the counter's log: a link each. A slip: none.
  const walkIns = path.join(fixture.env.dir, 'walk-ins.jsonl');
  writeFileSync(
    walkIns,
    [
      JSON.stringify({ queue: 'C001', name: 'Ani', text: 'Akta kelahiran anak saya salah tulis nama ibunya.' }),
      JSON.stringify({ queue: 'C002', name: 'Budi', text: 'Mohon informasi syarat pindah datang dari Medan.' }),
    ].join('\n'),
  );
  const batch = await fixture.intake({ channel: 'walk-in', file: walkIns });
  expect(batch.code).toBe(0);
  const links = printedLinks(batch.out);
  expect(links).toHaveLength(2);
  expect(new Set(links).size).toBe(2);
  const slips = path.join(fixture.env.dir, 'slips.jsonl');
  writeFileSync(slips, JSON.stringify({ slip: 'KS-9', text: 'Toilet ruang tunggu rusak.' }));
  const slip = await fixture.intake({ file: slips });
  expect(slip.out).toContain('TANDA TERIMA PENGADUAN');
  expect(printedLinks(slip.out)).toEqual([]);
  expect(slip.out).not.toContain('SURVEI');

  const off = { ...fixture.env.config, survey: { ...fixture.env.config.survey, enabled: false } };
  const plain = await fixture.intake({ ...WALK_IN, queue: 'D001' }, off);
  expect(plain.code).toBe(0);
  expect(printedLinks(plain.out)).toEqual([]);
  expect(plain.out).not.toMatch(/[▀▄█]/);
});
