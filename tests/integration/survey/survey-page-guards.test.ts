import { hashToken, isOptedOut } from '../../../src/survey/links';
import { COOKIE } from '../../../src/survey/form-guard';
import { startSurveyPage, type SurveyPageFixture } from '../../support/survey-page';

/** The page's defences over plain HTTP (what a browser would not do): forged posts, floods, huge bodies. */

let fixture: SurveyPageFixture;
afterEach(async () => {
  await fixture.close();
});

/** GETs the form like a browser and returns its cookie and form token. */
async function openForm(url: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const cookie = /survei_sesi=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return { cookie, csrf };
}

function post(url: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin, ...headers },
    redirect: 'manual',
  });
}

test('a post without the cookie-bound token, with a foreign Origin, or with a token of another link is refused', async () => {
  fixture = await startSurveyPage();
  const { url, ticketId } = await fixture.ticketLink();
  const { url: other } = await fixture.ticketLink();
  const { cookie, csrf } = await openForm(url);
  const body = `csrf=${encodeURIComponent(csrf)}&overall=4`;
  expect((await post(url, body)).status).toBe(403); // no cookie
  expect((await post(url, body, { cookie: `${COOKIE}=${cookie}`, origin: 'https://evil.example' })).status).toBe(403);
  expect((await post(url, body, { cookie: `${COOKIE}=${cookie}`, origin: 'null' })).status).toBe(403);
  expect((await post(other, body, { cookie: `${COOKIE}=${cookie}` })).status).toBe(403); // bound to its link
  expect((await post(url, `csrf=x&overall=4`, { cookie: `${COOKIE}=${cookie}` })).status).toBe(403);
  expect(await fixture.store.getSurveyResponseOfTicket(ticketId)).toBeUndefined();
  const ok = await post(url, body, { cookie: `${COOKIE}=${cookie}` });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect((await fixture.store.getSurveyResponseOfTicket(ticketId))?.overall).toBe(4);
});

test('bad values are explained on the form again; a field sent twice or a wrong content type is refused', async () => {
  fixture = await startSurveyPage();
  const { url, ticketId } = await fixture.ticketLink();
  const { cookie, csrf } = await openForm(url);
  const headers = { cookie: `${COOKIE}=${cookie}` };
  const t = `csrf=${encodeURIComponent(csrf)}`;
  const bad = await post(url, `${t}&overall=5`, headers);
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain('Isian tidak valid');
  const missing = await post(url, `${t}&U1=3`, headers);
  expect(missing.status).toBe(400);
  expect(await missing.text()).toContain('Mohon jawab pertanyaan');
  expect((await post(url, `${t}&overall=4&overall=1`, headers)).status).toBe(400);
  expect((await post(url, '{"overall":4}', { ...headers, 'content-type': 'application/json' })).status).toBe(415);
  expect(await fixture.store.getSurveyResponseOfTicket(ticketId)).toBeUndefined();
});

test('bodies over the cap get 413; writes over the per-client rate get 429', async () => {
  fixture = await startSurveyPage({ maxBodyBytes: 2048, submissionsPerMinute: 3 });
  const { url } = await fixture.ticketLink();
  const { cookie, csrf } = await openForm(url);
  const headers = { cookie: `${COOKIE}=${cookie}` };
  const huge = await post(url, `csrf=${csrf}&saran=${'a'.repeat(5000)}`, headers);
  expect(huge.status).toBe(413);
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await post(`${fixture.base}/layanan`, 'U1=3', headers)).status);
  expect(statuses.slice(0, 2)).toEqual([403, 403]);
  expect(statuses[3]).toBe(429);
});

test('the opt-out link asks, then records the opt-out for the ticket’s contact', async () => {
  fixture = await startSurveyPage();
  const { url } = await fixture.ticketLink();
  const confirm = await fetch(`${url}/berhenti`);
  expect(confirm.status).toBe(200);
  expect(await isOptedOut(fixture.store, 'email', 'rosma@example.com')).toBe(false);
  const cookie = /survei_sesi=([^;]+)/.exec(confirm.headers.get('set-cookie') ?? '')![1]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await confirm.text())![1]!;
  const done = await post(`${url}/berhenti`, `csrf=${encodeURIComponent(csrf)}`, { cookie: `${COOKIE}=${cookie}` });
  expect(done.status).toBe(200);
  expect(await done.text()).toContain('tidak akan menerima undangan survei lagi');
  expect(await isOptedOut(fixture.store, 'email', 'rosma@example.com')).toBe(true);
});

test('unknown paths and methods', async () => {
  fixture = await startSurveyPage();
  expect((await fetch(`${fixture.base}/../../etc/passwd`)).status).toBe(404);
  expect((await fetch(`${fixture.base}/short`)).status).toBe(404);
  expect((await fetch(`${fixture.base}/layanan`, { method: 'PUT' })).status).toBe(405);
});

test('a link sent before the short tokens (24 base64url characters) still opens its form', async () => {
  fixture = await startSurveyPage();
  const { ticketId } = await fixture.ticketLink();
  const legacy = 'AbC-_0123456789xyzXYZ012';
  await fixture.store.addSurveyLink({
    tokenHash: hashToken(legacy),
    source: 'closure',
    ticketId,
    createdAt: fixture.clock.now().toISOString(),
    expiresAt: new Date(fixture.clock.now().getTime() + 86_400_000).toISOString(),
  });
  expect((await fetch(`${fixture.base}/${legacy}`)).status).toBe(200);
  expect((await fetch(`${fixture.base}/${legacy.toLowerCase()}`)).status).toBe(404);
});
