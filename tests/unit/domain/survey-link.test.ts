import type { HistoryEntry } from '../../../src/domain/complaint';
import { newLinkTerms, surveyLinkState } from '../../../src/domain/survey-link';
import { hashToken, newToken, readToken } from '../../../src/survey/links';

const DAY = 24 * 3_600_000;
const T0 = Date.parse('2026-12-01T02:00:00.000Z');
const at = (days: number) => new Date(T0 + days * DAY);
const open = { status: 'routed' as const, history: [{ at: at(0).toISOString(), event: 'received' }] as HistoryEntry[] };
function resolvedOn(days: number, ...more: HistoryEntry[]) {
  return {
    status: 'resolved' as const,
    history: [...open.history, ...more, { at: at(days).toISOString(), event: 'resolved' as const }],
  };
}

describe('a survey link is valid linkValidDays from the later of its making and the resolution', () => {
  test('made after the resolution (an invitation): from its making, whatever the ticket does', () => {
    const terms = newLinkTerms({ status: 'resolved' }, 14, at(1));
    expect(terms.validDaysAfterResolution).toBeUndefined();
    expect(surveyLinkState(terms, resolvedOn(0), false, at(14.9))).toEqual({
      kind: 'open',
      until: at(15).toISOString(),
    });
    expect(surveyLinkState(terms, resolvedOn(0), false, at(15)).kind).toBe('expired');
  });

  test('made before it (a receipt): pending until resolved, again while reopened, then from the latest resolution', () => {
    const terms = newLinkTerms(open, 14, at(0));
    expect(terms.validDaysAfterResolution).toBe(14);
    expect(surveyLinkState(terms, open, false, at(40)).kind).toBe('pending');
    expect(surveyLinkState(terms, resolvedOn(40), false, at(53.9)).kind).toBe('open');
    expect(surveyLinkState(terms, resolvedOn(40), false, at(54)).kind).toBe('expired');
    const reopened = {
      status: 'reopened' as const,
      history: [...resolvedOn(40).history, { at: at(41).toISOString(), event: 'reopened' as const }],
    };
    expect(surveyLinkState(terms, reopened, false, at(42)).kind).toBe('pending');
    const again = resolvedOn(50, ...reopened.history.slice(1));
    expect(surveyLinkState(terms, again, false, at(63)).kind).toBe('open');
    // A ticket never resolved: the link dies after a year all the same; a deleted ticket waits.
    expect(surveyLinkState(terms, resolvedOn(400), false, at(400.5)).kind).toBe('expired');
    expect(surveyLinkState(terms, undefined, false, at(2)).kind).toBe('pending');
  });

  test('used or answered another way: answered, before anything else', () => {
    const terms = newLinkTerms(open, 14, at(0));
    expect(surveyLinkState({ ...terms, usedAt: at(1).toISOString() }, resolvedOn(1), false, at(2)).kind).toBe(
      'answered',
    );
    expect(surveyLinkState(terms, open, true, at(2)).kind).toBe('answered');
  });
});

describe('the one token scheme', () => {
  test('13 characters of Crockford base32 (65 bits), distinct, read back as typed from paper', () => {
    const tokens = Array.from({ length: 2000 }, newToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) expect(token).toMatch(/^[0-9a-hjkmnp-tv-z]{13}$/);
    const token = '0a1b2c3d4e5f6';
    expect(readToken(token.toUpperCase())).toBe(token);
    expect(readToken('Oa1b2c3d4e5f6')).toBe(token);
    expect(readToken('0aib2c3d4e5f6')).toBe(token);
    expect(readToken('0Lb2c3d4e5f6x')).toBe('01b2c3d4e5f6x');
    expect(hashToken(readToken('0A1B2C3D4E5F6')!)).toBe(hashToken(token));
  });

  test('links sent before keep working (24 base64url characters, exact); anything else is no token', () => {
    expect(readToken('AbC-_0123456789xyzXYZ012')).toBe('AbC-_0123456789xyzXYZ012');
    for (const bad of ['', 'short', '0a1b2c3d4e5fu', '0a1b2c3d4e5f67', '0a1b2c3d4e5f/', 'x'.repeat(5000)])
      expect(readToken(bad)).toBeUndefined();
  });
});
