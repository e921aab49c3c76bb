import { runSurveyEnter, runSurveyLink, runSurveyUsers } from '../../../src/cli/commands/survey';
import { withCommandStore } from '../../../src/cli/command-context';
import { serviceUsersKey } from '../../../src/survey/links';
import { hashToken } from '../../../src/survey/links';
import { createTestEnv, type TestEnv } from '../../support/service-harness';
import { resolvedTicket } from '../../support/survey-page';

/** `aduan survey users|enter|link` on the real SQLite store. */

function sink() {
  const chunks: string[] = [];
  return {
    stream: { write: (c: string) => chunks.push(c) } as unknown as NodeJS.WritableStream,
    text: () => chunks.join(''),
  };
}

let env: TestEnv;
beforeEach(() => {
  env = createTestEnv();
});
afterEach(async () => env.cleanup());

test('survey users stores the month’s count; bad input is explained', async () => {
  const out = sink();
  const err = sink();
  expect(await runSurveyUsers(env.config, { period: '2026-11', count: '812' }, out.stream, err.stream)).toBe(0);
  expect(await withCommandStore(env.config, (s) => s.getCursor(serviceUsersKey('2026-11')))).toBe('812');
  expect(await runSurveyUsers(env.config, { period: '2026-13', count: '812' }, out.stream, err.stream)).toBe(2);
  expect(await runSurveyUsers(env.config, { period: '2026-11', count: '-4' }, out.stream, err.stream)).toBe(2);
  expect(err.text()).toContain('--period harus berbentuk YYYY-MM');
});

test('survey enter records a service survey of a paper form, on its office day, masked', async () => {
  const out = sink();
  const err = sink();
  const answers = '3,3,4,-,3,3,4,3,3';
  const saran = 'Loket kurang, telp 081234567890';
  expect(await runSurveyEnter(env.config, { answers, date: '2026-11-05', saran }, out.stream, err.stream)).toBe(0);
  const [stored] = await withCommandStore(env.config, (s) =>
    s.listSurveyResponses('2026-11-04T17:00:00.000Z', '2026-11-05T17:00:00.000Z'),
  );
  expect(stored).toMatchObject({ source: 'service', via: 'staff', answers: { U1: 3, U3: 4, U9: 3 } });
  expect(stored!.answers.U4).toBeUndefined();
  expect(stored!.suggestion).not.toContain('081234567890');
  expect(await runSurveyEnter(env.config, { answers: '3,3' }, out.stream, err.stream)).toBe(2);
  expect(await runSurveyEnter(env.config, { answers: '3,3,5,3,3,3,3,3,3' }, out.stream, err.stream)).toBe(2);
  expect(err.text()).toContain('nilai "5" untuk U3 tidak valid');
});

test('survey link prints a working link for a walk-in ticket', async () => {
  const ticket = await withCommandStore(
    env.config,
    async (s) =>
      (
        await s.insertTicket(
          resolvedTicket({ channel: 'walk-in', complainant: { name: 'Horas', phone: '+6281260003333' } }),
          2026,
        )
      ).ticket,
  );
  const out = sink();
  const err = sink();
  expect(await runSurveyLink(env.config, ticket.ticketNumber, out.stream, err.stream)).toBe(0);
  const token = /\/survei\/([0-9a-z]{13})/.exec(out.text())![1]!;
  const link = await withCommandStore(env.config, (s) => s.getSurveyLink(hashToken(token)));
  expect(link).toMatchObject({ source: 'closure', ticketId: ticket.id });
  expect(await runSurveyLink(env.config, 'ADU-2026-999999', out.stream, err.stream)).toBe(1);
});
