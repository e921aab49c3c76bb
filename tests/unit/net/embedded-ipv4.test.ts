import { AddressPolicy, embeddedIPv4 } from '../../../src/net/outbound-http/address-ranges';
import { guardedLookup, type Resolver } from '../../../src/net/outbound-http/guarded-lookup';
import { OutboundPolicy } from '../../../src/net/outbound-http';

/** Review #14 M3 (IPv6 forms of private IPv4) and L1 (loopback names must resolve to loopback only). */
describe('IPv6 addresses that reach private IPv4 or are never public', () => {
  const remote = new AddressPolicy(false, []);

  it.each([
    ['64:ff9b::a00:1', '10.0.0.1'],
    ['64:ff9b::169.254.169.254', '169.254.169.254'],
    ['2002:c0a8:101::1', '192.168.1.1'],
    ['2002:7f00:1::', '127.0.0.1'],
    ['::a00:1', '10.0.0.1'],
    ['::127.0.0.1', '127.0.0.1'],
    ['::ffff:c0a8:1', '192.168.0.1'],
  ])('extracts the IPv4 of %s and refuses it', (address, inner) => {
    expect(embeddedIPv4(address)).toBe(inner);
    expect(remote.check(address)).toMatchObject({ ok: false, reason: expect.stringContaining(inner) });
  });

  it.each(['64:ff9b:1::a00:1', 'fec0::1', '2001:0:4136:e378:8000:63bf:f5ff:fffe', '100::1', '2001:db8::1'])(
    'refuses %s',
    (address) => expect(remote.check(address).ok).toBe(false),
  );

  it.each(['64:ff9b::808:808', '2002:808:808::1', '2a03:2880:f10e::1', '2001:4860::8888'])(
    'accepts %s (public)',
    (address) => expect(remote.check(address)).toEqual({ ok: true }),
  );

  it('keeps :: and ::1 as IPv6 addresses, not IPv4-compatible ones', () => {
    expect(embeddedIPv4('::1')).toBeUndefined();
    expect(embeddedIPv4('::')).toBeUndefined();
    expect(new AddressPolicy(true, []).check('::1')).toEqual({ ok: true });
  });
});

describe('a loopback host name earns its exemptions only when it resolves to loopback alone', () => {
  const lookupVia = (policy: AddressPolicy, answer: string[]) => {
    const resolver: Resolver = async () =>
      answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    return new Promise<string>((resolve, reject) =>
      guardedLookup(policy, resolver)('api.localhost', {}, (error, address) =>
        error ? reject(error) : resolve(String(address)),
      ),
    );
  };

  it('refuses a public address behind api.localhost (http: would send credentials in clear)', async () => {
    const policy = new OutboundPolicy('http://api.localhost:8080/x');
    const addresses = (policy as unknown as { addresses: AddressPolicy }).addresses;
    expect(addresses.loopbackOnly).toBe(true);
    await expect(lookupVia(addresses, ['93.184.216.34'])).rejects.toThrow(/not loopback/);
    await expect(lookupVia(addresses, ['127.0.0.1', '93.184.216.34'])).rejects.toThrow(/not loopback/);
    await expect(lookupVia(addresses, ['127.0.0.1', '::1'])).resolves.toBe('127.0.0.1');
  });

  it('an IP literal source is not bound by the name rule', () => {
    const policy = new OutboundPolicy('http://127.0.0.1:8080/x');
    expect((policy as unknown as { addresses: AddressPolicy }).addresses.loopbackOnly).toBe(false);
  });
});
