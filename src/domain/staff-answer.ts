import { isStaff, type StaffDirectory } from './staff';

/**
 * Whether a mail that claims to be a staff answer may speak for the office: pure, so every rule is
 * tested on its own. A mail that fails is never relayed and never resolves the ticket.
 */

export interface AnswerClaim {
  /** The From address. */
  from: string | undefined;
  /** A Reply-To that differs from From, if any. */
  replyTo: string | undefined;
  /** The email channel's reading of the receiving server's Authentication-Results. */
  senderAuth: string | undefined;
  senderAuthNote: string | undefined;
  /** Why the From header does not name exactly one sender (two From headers, a list), if so. */
  fromProblem?: string | undefined;
  /** The mail names the ticket with a valid token (reply address or one of our Message-IDs). */
  proven: boolean;
}

export interface AnswerRules {
  staff: StaffDirectory;
  /** team: only the ticket's team and the supervisors; any-staff: every staff address. */
  answerableBy: 'team' | 'any-staff';
  /** The ticket's current team's addresses plus the supervisors (used when answerableBy is `team`). */
  responsible: StaffDirectory;
}

/** Mail whose From or Reply-To is a staff address claims to come from staff. */
export function claimsStaff(claim: Pick<AnswerClaim, 'from' | 'replyTo'>, staff: StaffDirectory): boolean {
  return isStaff(staff, claim.from) || isStaff(staff, claim.replyTo);
}

/** Every reason the claim fails, in Bahasa Indonesia (shown to staff and admins); empty: a verified answer. */
export function staffAnswerProblems(claim: AnswerClaim, rules: AnswerRules): string[] {
  const problems: string[] = [];
  if (!claim.proven)
    problems.push(
      'tidak ditujukan ke alamat balasan bertoken atau Message-ID bertoken dari email tiket ' +
        '(nomor tiket saja tidak cukup)',
    );
  if (!isStaff(rules.staff, claim.from)) problems.push(`pengirim (From: ${claim.from ?? '-'}) bukan alamat staf`);
  if (claim.fromProblem) problems.push(`From tidak menunjuk tepat satu pengirim (${claim.fromProblem})`);
  if (claim.replyTo) problems.push(`Reply-To (${claim.replyTo}) berbeda dari From`);
  if (claim.senderAuth !== 'pass')
    problems.push(`pengirim tidak terautentikasi (${claim.senderAuthNote ?? 'tanpa hasil pemeriksaan'})`);
  if (rules.answerableBy === 'team' && isStaff(rules.staff, claim.from) && !isStaff(rules.responsible, claim.from)) {
    problems.push('pengirim bukan tim yang menangani tiket ini atau supervisor');
  }
  return problems;
}
