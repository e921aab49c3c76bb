import { staffDirectory } from '../../../src/domain/staff';
import { claimsStaff, staffAnswerProblems, type AnswerClaim } from '../../../src/domain/staff-answer';

const staff = staffDirectory(
  ['capil@disdukcapil.dairikab.go.id', 'kadis@disdukcapil.dairikab.go.id'],
  ['disdukcapil.dairikab.go.id'],
);
const rules = {
  staff,
  answerableBy: 'team' as const,
  responsible: staffDirectory(['capil@disdukcapil.dairikab.go.id', 'kadis@disdukcapil.dairikab.go.id'], []),
};
const good: AnswerClaim = {
  from: 'capil@disdukcapil.dairikab.go.id',
  replyTo: undefined,
  senderAuth: 'pass',
  senderAuthNote: 'dmarc=pass',
  proven: true,
};

describe('the staff answer rule', () => {
  test('a proven, authenticated answer from the ticket team (or a supervisor) passes', () => {
    expect(staffAnswerProblems(good, rules)).toEqual([]);
    expect(staffAnswerProblems({ ...good, from: 'kadis@disdukcapil.dairikab.go.id' }, rules)).toEqual([]);
  });

  test.each([
    ['no token', { proven: false }, /bertoken/],
    ['not authenticated', { senderAuth: 'none' }, /tidak terautentikasi/],
    ['dmarc=fail', { senderAuth: 'fail' }, /tidak terautentikasi/],
    ['a Reply-To of its own', { replyTo: 'penipu@gmail.com' }, /Reply-To/],
    [
      'From is not staff (the Reply-To trick)',
      { from: 'penipu@gmail.com', replyTo: 'capil@disdukcapil.dairikab.go.id' },
      /bukan alamat staf/,
    ],
    ['staff of another team', { from: 'dafduk@disdukcapil.dairikab.go.id' }, /bukan tim yang menangani/],
  ])('%s fails', (_name, change, reason) => {
    const problems = staffAnswerProblems({ ...good, ...change }, rules);
    expect(problems.join('; ')).toMatch(reason);
  });

  test('answerableBy any-staff lets every staff address answer', () => {
    expect(
      staffAnswerProblems(
        { ...good, from: 'dafduk@disdukcapil.dairikab.go.id' },
        { ...rules, answerableBy: 'any-staff' },
      ),
    ).toEqual([]);
  });

  test('a mail claims to be staff by its From or its Reply-To', () => {
    expect(claimsStaff({ from: 'warga@gmail.com', replyTo: undefined }, staff)).toBe(false);
    expect(claimsStaff({ from: 'warga@gmail.com', replyTo: 'capil@disdukcapil.dairikab.go.id' }, staff)).toBe(true);
    expect(claimsStaff({ from: 'x@disdukcapil.dairikab.go.id', replyTo: undefined }, staff)).toBe(true);
  });
});
