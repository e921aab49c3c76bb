import { maskNik, maskPhone, redactPersonalData } from '../../src/domain/personal-data';
import { planComplaints, seededRandom, writeNik, writePhone } from '../support/reliability/complaints';
import { scanForPersonalData } from '../support/reliability/pii-scan';

/** The log scan of the crash and outage runs must be able to fail: it finds what was fed, however written. */

const fed = planComplaints(20, seededRandom(7), 'PII');
const [a, b] = fed;

test('finds a fed NIK or phone number however its digits are separated or prefixed', () => {
  for (let style = 0; style < 4; style++) {
    const nikLine = `{"level":"warn","msg":"complaint quarantined","note":"NIK ${writeNik(a!.nik, style)} ditolak"}`;
    expect(scanForPersonalData(nikLine, fed).map((f) => f.kind)).toContain('fed-nik');
    const phoneLine = `{"level":"info","to":"${writePhone(b!.phone, style)}"}`;
    expect(scanForPersonalData(phoneLine, fed).map((f) => f.kind)).toContain('fed-phone');
  }
  expect(scanForPersonalData(`caller=${b!.phone}`, fed).map((f) => f.kind)).toContain('fed-phone');
});

test('finds NIK-like and full mobile numbers that were never fed', () => {
  expect(scanForPersonalData('nik=3201234567890001 ok', fed).map((f) => f.kind)).toContain('nik-like');
  expect(scanForPersonalData('kk 3201.2345.6789.0001.', fed).map((f) => f.kind)).toContain('nik-like');
  expect(scanForPersonalData('hp +62 812-3456-7890', fed).map((f) => f.kind)).toContain('phone-like');
  expect(scanForPersonalData('hp 081234567890', fed).map((f) => f.kind)).toContain('phone-like');
});

test('passes masked values, ticket numbers, UUIDs, job ids and timestamps', () => {
  const line = [
    `NIK ${maskNik(a!.nik)}`,
    `HP ${maskPhone(b!.phone)}`,
    'ADU-2026-000123',
    '"ticketId":"1234abcd-1234-4321-8123-123456789012"',
    '"jobId":"in-0123456789abcdef0123456789abcdef"',
    '"time":"2026-11-30T04:27:12.123Z"',
    '"created":1764477000000',
    redactPersonalData(`dari ${writePhone(a!.phone, 0)} NIK ${writeNik(b!.nik, 1)}`),
  ].join(' ');
  expect(scanForPersonalData(line, fed)).toEqual([]);
});
