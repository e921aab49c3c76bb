import { normalizeEmail } from '../../../src/channels/email/normalize';
import { parseEmail } from '../../../src/channels/email/parse';
import { staffAnswerProblems } from '../../../src/domain/staff-answer';
import { staffDirectory } from '../../../src/domain/staff';
import { context } from './fixtures';

/** Review #14 H1 and M1: From headers that cannot be read as one sender. */
const trust = { authservIds: ['mx.google.com'], maxHeaders: 1, alignedSpf: false, trustUnauthenticatedFrom: false };
const FAIL = 'Authentication-Results: mx.google.com; dmarc=fail (p=REJECT) header.from=';

async function normalize(headers: string[]) {
  const rest = ['To: pengaduan@disdukcapil.dairikab.go.id', 'Subject: Tolong', 'Message-ID: <x1@evil.example>'];
  const raw = [...headers, ...rest, '', 'Halo'];
  const decision = normalizeEmail(await parseEmail(Buffer.from(raw.join('\r\n'))), context({ trust }));
  if (decision.kind !== 'complaint') throw new Error(decision.kind);
  return decision;
}

describe('H1: no automatic reply to a third party when From cannot be read', () => {
  test.each([
    ['a quoted local part with a space', 'From: "a b"@evil.example', 'evil.example'],
    ['an IDN domain', 'From: a@пример.com', 'xn--e1afmkfd.com'],
  ])('%s: the trusted dmarc=fail still blocks the reply, Reply-To is not used', async (_name, from, domain) => {
    const decision = await normalize([`${FAIL}${domain}`, from, 'Reply-To: korban@gmail.com']);
    expect(decision.complaint.meta.senderAuth).toBe('fail');
    expect(decision.complaint.autoReplyAllowed).toBe(false);
    expect(decision.replyAddress).not.toBe('korban@gmail.com');
  });

  test.each([
    ['a list whose first valid mailbox is the victim', ['From: "a b"@evil.example, korban@gmail.com']],
    ['two From headers', ['From: korban@gmail.com', 'From: a@evil.example']],
  ])('%s: no automatic reply', async (_name, headers) => {
    const decision = await normalize([`${FAIL}evil.example`, ...headers]);
    expect(decision.complaint.autoReplyAllowed).toBe(false);
    expect(decision.complaint.meta.autoReplyBlocked).toMatch(/^pengirim tidak jelas/);
  });

  test('no From and a Reply-To: nobody is answered', async () => {
    const decision = await normalize(['Reply-To: korban@gmail.com']);
    expect(decision.replyAddress).toBeUndefined();
    expect(decision.complaint.complainant.email).toBeUndefined();
  });
});

describe('M1: a staff claim needs exactly one From header with exactly one valid mailbox', () => {
  const staff = staffDirectory(['capil@disdukcapil.dairikab.go.id'], []);
  const problemsOf = async (headers: string[]) => {
    const { complaint } = await normalize(headers);
    return staffAnswerProblems(
      {
        from: complaint.complainant.email,
        replyTo: undefined,
        senderAuth: 'pass',
        senderAuthNote: 'dmarc=pass',
        fromProblem: complaint.meta.fromProblem,
        proven: true,
      },
      { staff, answerableBy: 'any-staff', responsible: staff },
    );
  };

  test('one From with one mailbox: no problem', async () => {
    expect(await problemsOf(['From: capil@disdukcapil.dairikab.go.id'])).toEqual([]);
  });

  test.each([
    ['two mailboxes', ['From: capil@disdukcapil.dairikab.go.id, penipu@evil.example']],
    ['an invalid mailbox first', ['From: "a b"@evil.example, capil@disdukcapil.dairikab.go.id']],
    ['two From headers', ['From: capil@disdukcapil.dairikab.go.id', 'From: penipu@evil.example']],
  ])('%s: refused', async (_name, headers) => {
    expect((await problemsOf(headers)).join('; ')).toMatch(/From tidak menunjuk tepat satu pengirim/);
  });
});
