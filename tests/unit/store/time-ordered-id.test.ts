import { timeOrderedId } from '../../../src/store/time-ordered-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('is a version 7 UUID whose first 48 bits are the time in milliseconds', () => {
  const now = Date.UTC(2026, 10, 30, 9, 15, 0, 123);
  const id = timeOrderedId(now);
  expect(id).toMatch(UUID_V7);
  expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
});

test('ids of later milliseconds sort after earlier ones, as strings', () => {
  const start = Date.UTC(2026, 10, 30);
  const ids = Array.from({ length: 200 }, (_, i) => timeOrderedId(start + i * 7));
  expect([...ids].sort()).toEqual(ids);
});

test('ids made in the same millisecond still differ', () => {
  const now = Date.now();
  const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(now)));
  expect(ids.size).toBe(10_000);
});
