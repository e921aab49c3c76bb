import { verificationChallenge, verifyHubSignature } from '../../../src/channels/meta/webhook-signature';
import { hubSignature, metaJson } from '../../support/fake-graph-server';
import payload from '../../fixtures/meta/webhook-messenger.json';

const SECRET = 'app-secret-for-tests';

describe('verifyHubSignature', () => {
  const body = Buffer.from(metaJson({ ...payload, note: 'Sidikalang — ü' }));

  it('accepts the HMAC-SHA256 of the raw bytes', () => {
    expect(verifyHubSignature(body, hubSignature(body, SECRET), SECRET)).toBe(true);
  });

  it('rejects re-serialised JSON (Meta escapes non-ASCII), other secrets, sha1 and garbage', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(reserialised.equals(body)).toBe(false);
    expect(verifyHubSignature(reserialised, hubSignature(body, SECRET), SECRET)).toBe(false);
    expect(verifyHubSignature(body, hubSignature(body, 'other'), SECRET)).toBe(false);
    expect(verifyHubSignature(body, 'sha1=0123', SECRET)).toBe(false);
    expect(verifyHubSignature(body, 'sha256=zz', SECRET)).toBe(false);
    expect(verifyHubSignature(body, undefined, SECRET)).toBe(false);
  });
});

describe('verificationChallenge', () => {
  const query = (q: string) => new URLSearchParams(q);
  it('returns the challenge only for subscribe with the right token', () => {
    expect(
      verificationChallenge(query('hub.mode=subscribe&hub.verify_token=rahasia&hub.challenge=1158201444'), 'rahasia'),
    ).toBe('1158201444');
    expect(
      verificationChallenge(query('hub.mode=subscribe&hub.verify_token=salah&hub.challenge=1'), 'rahasia'),
    ).toBeUndefined();
    expect(
      verificationChallenge(query('hub.mode=unsubscribe&hub.verify_token=rahasia&hub.challenge=1'), 'rahasia'),
    ).toBeUndefined();
    expect(verificationChallenge(query('hub.mode=subscribe&hub.verify_token=rahasia'), 'rahasia')).toBeUndefined();
  });
});
