import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CORPUS_DIR, corpus } from './corpus';

/** The manifest itself: complete, consistent, and naming every file of the corpus. */

const items = corpus();

it('has at least 50 items across every channel, each with what it attacks and what must come of it', () => {
  expect(items.length).toBeGreaterThanOrEqual(50);
  expect(new Set(items.map((i) => i.channel))).toEqual(
    new Set(['email', 'meta', 'perkebbas', 'call-center', 'walk-in', 'suggestion-box']),
  );
  expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  for (const item of items) {
    expect(item.attacks.length).toBeGreaterThan(5);
    expect(['ticket', 'quarantine', 'rejected']).toContain(item.expect);
    if (item.expect !== 'ticket') expect(item.reason).toEqual(expect.any(String));
    if (!item.generated) expect(existsSync(path.join(CORPUS_DIR, item.file))).toBe(true);
  }
});

it('names every committed corpus file', () => {
  const named = new Set(items.map((i) => i.file));
  for (const folder of ['email', 'meta', 'portal', 'callcenter', 'offline']) {
    for (const file of readdirSync(path.join(CORPUS_DIR, folder))) expect(named).toContain(`${folder}/${file}`);
  }
});
