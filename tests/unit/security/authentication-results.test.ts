import { parseAuthenticationResults, trustedResults } from '../../../src/channels/email/authentication-results';
import { aligned, assessSender, type SenderTrust } from '../../../src/channels/email/sender-auth';

const lines = (...headers: string[]) =>
  headers.map((line) => ({ key: line.slice(0, line.indexOf(':')).toLowerCase(), line }));
const GMAIL: SenderTrust = {
  authservIds: ['mx.google.com'],
  maxHeaders: 1,
  alignedSpf: false,
  trustUnauthenticatedFrom: false,
};
const OFFICE = 'disdukcapil.dairikab.go.id';

describe('Authentication-Results parser (RFC 8601)', () => {
  test("reads Gmail's header: comments, folding, properties, version after the authserv-id", () => {
    const parsed = parseAuthenticationResults(
      ' mx.google.com 1;\r\n       dkim=pass header.i=@dairikab.go.id header.s=google header.b="Xy Z";\r\n' +
        '       spf=pass (google.com: domain of capil@disdukcapil.dairikab.go.id designates 209.85.220.41 as permitted sender) smtp.mailfrom=capil@disdukcapil.dairikab.go.id;\r\n' +
        '       dmarc = pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=disdukcapil.dairikab.go.id',
    );
    expect(parsed).toEqual({
      authservId: 'mx.google.com',
      results: [
        {
          method: 'dkim',
          result: 'pass',
          properties: { 'header.i': '@dairikab.go.id', 'header.s': 'google', 'header.b': 'Xy Z' },
        },
        { method: 'spf', result: 'pass', properties: { 'smtp.mailfrom': 'capil@disdukcapil.dairikab.go.id' } },
        { method: 'dmarc', result: 'pass', properties: { 'header.from': 'disdukcapil.dairikab.go.id' } },
      ],
    });
  });

  test('no results, nested comments, semicolons inside comments and quotes, garbage', () => {
    expect(parseAuthenticationResults('mx.example.org; none')).toEqual({ authservId: 'mx.example.org', results: [] });
    expect(
      parseAuthenticationResults(
        'mx.example.org (a (nested; comment) here); spf=fail reason="x; y" smtp.mailfrom=a@b.example',
      ),
    ).toEqual({
      authservId: 'mx.example.org',
      results: [{ method: 'spf', result: 'fail', properties: { 'smtp.mailfrom': 'a@b.example' } }],
    });
    expect(parseAuthenticationResults('   ')).toBeUndefined();
    expect(parseAuthenticationResults('x; =pass; dkim=; ;;')).toEqual({ authservId: 'x', results: [] });
  });

  test('linear time on hostile input: 1 MB of open comments, quotes and semicolons', () => {
    const started = process.hrtime.bigint();
    for (const junk of [
      '('.repeat(1 << 20),
      '"'.repeat(1 << 20),
      ';'.repeat(1 << 20),
      'a=b '.repeat(1 << 18),
      '\\'.repeat(1 << 20),
    ]) {
      parseAuthenticationResults(`mx.google.com; ${junk}`);
    }
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });
});

describe('which headers count: only the topmost one(s) of the trusted server', () => {
  const trusted = 'Authentication-Results: mx.google.com; dmarc=fail (p=REJECT) header.from=disdukcapil.dairikab.go.id';
  const forged = 'Authentication-Results: mx.google.com; dmarc=pass header.from=disdukcapil.dairikab.go.id';

  test('a copy claiming the trusted id below the trusted one is ignored, even directly below', () => {
    const results = trustedResults(
      lines('Received: from x', trusted, forged, 'From: capil@disdukcapil.dairikab.go.id'),
      ['mx.google.com'],
    );
    expect(results).toHaveLength(1);
    expect(results[0]!.results[0]!.result).toBe('fail');
    expect(assessSender(lines(trusted, forged), OFFICE, GMAIL)).toEqual({
      verdict: 'fail',
      how: 'dmarc=fail (mx.google.com)',
    });
  });

  test('a foreign authserv-id is never believed; one above the trusted one is skipped', () => {
    const foreign = 'Authentication-Results: mail.attacker.example; dmarc=pass header.from=disdukcapil.dairikab.go.id';
    expect(assessSender(lines(foreign), OFFICE, GMAIL).verdict).toBe('none');
    expect(assessSender(lines(foreign, trusted), OFFICE, GMAIL).verdict).toBe('fail');
  });

  test('with headers: 2, the next header counts only when it is directly below and also trusted', () => {
    const spf = 'Authentication-Results: mx.google.com; spf=pass smtp.mailfrom=capil@disdukcapil.dairikab.go.id';
    const dkim = 'Authentication-Results: mx.google.com; dkim=pass header.d=disdukcapil.dairikab.go.id';
    expect(trustedResults(lines(spf, dkim), ['mx.google.com'], 2)).toHaveLength(2);
    expect(trustedResults(lines(spf, 'Received: x', dkim), ['mx.google.com'], 2)).toHaveLength(1);
    expect(trustedResults(lines(spf, dkim), ['mx.google.com'], 1)).toHaveLength(1);
  });

  test('none is taken when no authserv-id is configured', () => {
    expect(trustedResults(lines(forged), [])).toEqual([]);
  });
});

describe('sender authentication', () => {
  const ar = (results: string) => lines(`Authentication-Results: mx.google.com; ${results}`);

  test.each([
    ['dmarc=pass for the From domain', 'dmarc=pass header.from=disdukcapil.dairikab.go.id', 'pass'],
    ['dmarc=pass for another domain', 'dmarc=pass header.from=gmail.com', 'none'],
    [
      'dmarc=fail',
      'dkim=pass header.d=disdukcapil.dairikab.go.id; dmarc=fail header.from=disdukcapil.dairikab.go.id',
      'fail',
    ],
    ['aligned dkim (parent domain signs)', 'dkim=pass header.d=dairikab.go.id', 'pass'],
    ['aligned dkim via header.i', 'dkim=pass header.i=@disdukcapil.dairikab.go.id', 'pass'],
    ['dkim of an unrelated domain', 'dkim=pass header.d=attacker.example', 'none'],
    ['dkim of a public suffix', 'dkim=pass header.d=go.id', 'none'],
    ['dkim fail', 'dkim=fail header.d=disdukcapil.dairikab.go.id', 'none'],
    ['aligned spf without opt-in', 'spf=pass smtp.mailfrom=capil@disdukcapil.dairikab.go.id', 'none'],
    ['dmarc=none', 'spf=softfail; dmarc=none header.from=disdukcapil.dairikab.go.id', 'none'],
  ])('%s → %s', (_name, results, verdict) => {
    expect(assessSender(ar(results), OFFICE, GMAIL).verdict).toBe(verdict);
  });

  test('aligned spf=pass counts only with the opt-in', () => {
    const spf = ar('spf=pass smtp.mailfrom=capil@disdukcapil.dairikab.go.id');
    expect(assessSender(spf, OFFICE, { ...GMAIL, alignedSpf: true })).toEqual({
      verdict: 'pass',
      how: 'spf=pass smtp.mailfrom=disdukcapil.dairikab.go.id (mx.google.com)',
    });
    expect(
      assessSender(ar('spf=pass smtp.mailfrom=x@attacker.example'), OFFICE, { ...GMAIL, alignedSpf: true }).verdict,
    ).toBe('none');
  });

  test('trustUnauthenticatedFrom believes From, except when the trusted server says dmarc=fail', () => {
    const trust = { ...GMAIL, trustUnauthenticatedFrom: true };
    expect(assessSender([], OFFICE, trust).verdict).toBe('pass');
    expect(assessSender(ar('dmarc=fail header.from=disdukcapil.dairikab.go.id'), OFFICE, trust).verdict).toBe('fail');
    expect(assessSender([], OFFICE, GMAIL).verdict).toBe('none');
  });
});

describe('relaxed alignment without the Public Suffix List', () => {
  test.each([
    ['disdukcapil.dairikab.go.id', 'disdukcapil.dairikab.go.id', true],
    ['dairikab.go.id', 'disdukcapil.dairikab.go.id', true],
    ['DisdukCapil.DairiKab.go.id', 'disdukcapil.dairikab.go.id.', true],
    ['go.id', 'dairikab.go.id', false],
    ['co.uk', 'example.co.uk', false],
    ['id', 'go.id', false],
    ['a.dairikab.go.id', 'b.dairikab.go.id', false],
    ['dairikab.go.id.attacker.example', 'dairikab.go.id', false],
    ['evildairikab.go.id', 'dairikab.go.id', false],
    ['mail.gmail.com', 'gmail.com', true],
  ])('%s ~ %s → %s', (a, b, expected) => {
    expect(aligned(a, b)).toBe(expected);
  });
});

describe('review #14 H2/M1: first result per method, dmarc pass only for the named From domain', () => {
  const trust2 = { ...GMAIL, maxHeaders: 2 };
  const top = 'Authentication-Results: mx.google.com; dkim=none; spf=neutral smtp.mailfrom=x@attacker.example';
  const written = `Authentication-Results: mx.google.com; dkim=pass header.d=${OFFICE}; spf=pass smtp.mailfrom=a@${OFFICE}`;

  test('with headers: 2, a sender-written header right below cannot add a pass for a method already reported', () => {
    expect(assessSender(lines(top, written), OFFICE, trust2).verdict).toBe('none');
    expect(assessSender(lines(top, written), OFFICE, { ...trust2, alignedSpf: true }).verdict).toBe('none');
    const writtenDmarc = `Authentication-Results: mx.google.com; dmarc=pass header.from=${OFFICE}`;
    const topFail = `Authentication-Results: mx.google.com; dmarc=fail header.from=${OFFICE}`;
    expect(assessSender(lines(topFail, writtenDmarc), OFFICE, trust2).verdict).toBe('fail');
  });

  test('a header of the server reporting other methods still counts for its own methods', () => {
    const spfOnly = `Authentication-Results: mx.google.com; spf=pass smtp.mailfrom=a@${OFFICE}`;
    const dkim = `Authentication-Results: mx.google.com; dkim=pass header.d=${OFFICE}`;
    expect(assessSender(lines(spfOnly, dkim), OFFICE, trust2).verdict).toBe('pass');
  });

  test('dmarc=pass without header.from is no pass; dmarc=fail without header.from is a fail', () => {
    const bare = (result: string) => lines(`Authentication-Results: mx.google.com; dmarc=${result}`);
    expect(assessSender(bare('pass'), OFFICE, GMAIL).verdict).toBe('none');
    expect(assessSender(bare('fail'), OFFICE, GMAIL).verdict).toBe('fail');
  });

  test('no readable From domain: a trusted dmarc=fail is still seen', () => {
    const fail = lines('Authentication-Results: mx.google.com; dmarc=fail header.from=evil.example');
    expect(assessSender(fail, undefined, GMAIL).verdict).toBe('fail');
    const pass = lines('Authentication-Results: mx.google.com; dmarc=pass');
    expect(assessSender(pass, undefined, GMAIL).verdict).toBe('none');
  });
});
