import { tokenTagOf } from '../support/staff-mail';
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import path from 'node:path';
import type { ComplaintInputDraft } from '../../src/domain/complaint';
import { createClassifier, type RunningService } from '../../src/main';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../support/service-harness';

/** Issue #19 end to end: integrity complaints reach the supervisors; doubtful ones reach triage with two candidates. */

function complaint(text: string): ComplaintInputDraft {
  return {
    channel: 'email',
    sourceId: `<${Math.random().toString(36).slice(2)}@mail.gmail.com>`,
    receivedAt: '2026-11-30T09:00:00+07:00',
    complainant: { name: 'Rosmawati Sinaga', email: 'rosma@example.com' },
    text,
  };
}

describe('routing by the classifier on real Redis', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  async function teamMailOf(text: string, ownClassifier = false) {
    // The harness shares one classifier per file; a test that changes routing thresholds needs its own.
    const parts = ownClassifier ? { classifier: createClassifier(env.config, env.configDir) } : {};
    service = await startTestService(env, parts);
    const c = complaint(text);
    await service.sink.submit(c, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    const file = path.join(env.config.outbound.outboxDir, `${tokenTagOf(ticket.ticketNumber)}.team.eml`);
    const mail = await waitFor(
      async () => {
        try {
          return readFileSync(file, 'utf8');
        } catch {
          return undefined;
        }
      },
      10_000,
      'team mail',
    );
    const parsed = await simpleParser(mail);
    const recipients = Array.isArray(parsed.to) ? parsed.to : [parsed.to];
    const to = recipients.flatMap((a) => a?.value.map((v) => v.address) ?? []);
    return { ticket: (await service.store.getTicket(ticket.id))!, to, body: parsed.text ?? '' };
  }

  test('an integrity complaint goes to the supervisors, not to the team it is about', async () => {
    env = createTestEnv();
    const { ticket, to, body } = await teamMailOf(
      'KTP saya sudah 3 bulan belum dicetak. Petugas di loket minta uang 150 ribu supaya cepat, ' +
        'katanya kalau tidak ya tunggu blanko.',
    );
    expect(ticket.team).toBe('pengawas');
    expect(ticket.classification.integrity).toEqual(expect.arrayContaining(['minta uang']));
    expect(to).toEqual(env.config.teams['pengawas']!.emails);
    expect(body).toContain('PERHATIAN: pengaduan integritas');
  });

  test('a close call goes to triage with both candidate kinds named in the team mail', async () => {
    // Every decision is a close call with this margin: what matters here is what the ticket and mail carry.
    env = createTestEnv((config) => ({ ...config, routing: { ...config.routing, minMargin: 1 } }));
    const text = 'Mohon bantuan reset password akun Perkebbas saya, sudah lupa password.';
    const { ticket, to, body } = await teamMailOf(text, true);
    expect(ticket.team).toBe(env.config.routing.triageTeam);
    expect(ticket.classification).toMatchObject({ category: 'other', triage: 'close-call' });
    expect(ticket.classification.candidates?.[0]?.category).toBe('perkebbas-account');
    expect(to).toEqual(env.config.teams[env.config.routing.triageTeam]!.emails);
    expect(body).toContain(
      'Perlu ditelaah (dua jenis layanan hampir sama kuat): kemungkinan Akun Baru Perkebbas dan Reset Password',
    );
  });
});
