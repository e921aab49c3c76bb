import { HOSTILE_SHAPES, hostileParsers, timeParser } from '../../support/adversarial';

/**
 * Every parser of untrusted text against every adversarial shape at 1 MB. Linear code takes
 * milliseconds to a few hundred; the bound is generous (5 s) so this is not a timing test, but a
 * quadratic pattern (48 s for 200 KB of spaces in the old `trimBlock`) fails it. Figures per parser,
 * with the growth from 100 KB to 1 MB: `npm run bench:hostile`.
 */

jest.setTimeout(600_000);

const SIZE = 1_000_000;
const BOUND_MS = 5000;
const parsers = hostileParsers();

it('covers every channel parser, the classifier and the masking', () => {
  const names = parsers.map((p) => p.name).join('\n');
  for (const part of [
    'email',
    'meta',
    'whatsapp',
    'portal',
    'call center',
    'offline',
    'classifier',
    'masking',
    'sanitizer',
    'terminal',
  ])
    expect(names).toContain(part);
  expect(Object.keys(HOSTILE_SHAPES).length).toBeGreaterThanOrEqual(20);
});

describe.each(parsers.map((p) => [p.name, p] as const))('%s', (_name, parser) => {
  it(`handles each adversarial shape of 1 MB within ${BOUND_MS / 1000} s`, async () => {
    const timings = await timeParser(parser, SIZE);
    const slow = timings.filter((t) => t.ms > BOUND_MS).map((t) => `${t.shape}: ${t.ms.toFixed(0)} ms`);
    expect(slow).toEqual([]);
  });
});
