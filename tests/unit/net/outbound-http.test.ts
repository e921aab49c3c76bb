import { AddressPolicy, isLoopbackHost, parseAddressRange } from '../../../src/net/outbound-http/address-ranges';
import { OutboundPolicy, OutboundPolicyError } from '../../../src/net/outbound-http';

describe('AddressPolicy', () => {
  const remote = new AddressPolicy(false, []);

  it.each([
    '0.0.0.0',
    '0.1.2.3',
    '10.0.0.1',
    '10.255.255.255',
    '100.64.0.1',
    '100.127.255.254',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.1',
    '192.168.0.1',
    '127.0.0.1',
    '127.8.9.10',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:a00:1',
    '224.0.0.1',
    '255.255.255.255',
  ])('refuses %s for a remote source', (address) => {
    expect(remote.check(address).ok).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '100.63.255.255',
    '100.128.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '192.169.0.1',
    '157.240.1.35',
    '2a03:2880:f10e::1',
    '::ffff:8.8.8.8',
  ])('accepts the public address %s', (address) => expect(remote.check(address)).toEqual({ ok: true }));

  it('accepts loopback only for a loopback source, and allowlisted ranges always', () => {
    expect(new AddressPolicy(true, []).check('127.0.0.1')).toEqual({ ok: true });
    expect(new AddressPolicy(true, []).check('10.0.0.1').ok).toBe(false);
    const allowlisted = new AddressPolicy(false, ['10.20.0.0/16', 'fd00:1::5']);
    expect(allowlisted.check('10.20.3.4')).toEqual({ ok: true });
    expect(allowlisted.check('10.21.0.1').ok).toBe(false);
    expect(allowlisted.check('fd00:1::5')).toEqual({ ok: true });
    expect(remote.check('127.0.0.1')).toEqual({
      ok: false,
      reason: '127.0.0.1 is a loopback address and the configured URL is not',
    });
  });

  it('parses allowlist entries and rejects anything else', () => {
    expect(parseAddressRange('10.20.0.0/16')).toEqual({ network: '10.20.0.0', prefix: 16, family: 'ipv4' });
    expect(parseAddressRange('10.20.0.5')).toEqual({ network: '10.20.0.5', prefix: 32, family: 'ipv4' });
    for (const bad of ['10.20.0.0/33', 'intranet.local', '10.20.0.0/x', '10.20.0.0/', 'fd00::/129'])
      expect(parseAddressRange(bad)).toBeUndefined();
  });

  it('knows loopback host names', () => {
    for (const host of ['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.1.2.3', '[::1]'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['localhost.example.com', '10.0.0.1', 'perkebbas.dairikab.go.id', '[::2]'])
      expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('OutboundPolicy', () => {
  it('requires https: except for loopback unless allowInsecureHttp', () => {
    expect(() => new OutboundPolicy('http://perkebbas.example.go.id/api')).toThrow(OutboundPolicyError);
    expect(() => new OutboundPolicy('ftp://perkebbas.example.go.id/api')).toThrow(/scheme ftp: is not supported/);
    expect(
      () => new OutboundPolicy('http://perkebbas.example.go.id/api', { allowInsecureHttp: true, allowedAddresses: [] }),
    ).not.toThrow();
    expect(() => new OutboundPolicy('http://127.0.0.1:8080/api')).not.toThrow();
    expect(() => new OutboundPolicy('https://perkebbas.example.go.id/api')).not.toThrow();
  });

  it('keeps requests on the configured origin: scheme, host and port', () => {
    const policy = new OutboundPolicy('https://portal.example.go.id/api/pengaduan');
    expect(policy.sameOrigin('/api/pengaduan?page=2', 'next').toString()).toBe(
      'https://portal.example.go.id/api/pengaduan?page=2',
    );
    expect(policy.sameOrigin('https://portal.example.go.id:443/x', 'next').pathname).toBe('/x');
    for (const elsewhere of [
      'http://portal.example.go.id/x',
      'https://portal.example.go.id:8443/x',
      'https://evil.example/x',
      '//evil.example/x',
      'https://portal.example.go.id.evil.example/x',
    ]) {
      expect(() => policy.sameOrigin(elsewhere, 'next')).toThrow(/points to another origin/);
    }
  });

  it('checks an IP literal at once (Node connects to it without a lookup)', () => {
    expect(() => new OutboundPolicy('https://10.0.0.5/api').sameOrigin('https://10.0.0.5/api', 'poll')).toThrow(
      /10\.0\.0\.5 is a private/,
    );
    expect(() => new OutboundPolicy('https://[fe80::1]/api').sameOrigin('https://[fe80::1]/api', 'poll')).toThrow(
      OutboundPolicyError,
    );
    const allowlisted = new OutboundPolicy('https://10.0.0.5/api', {
      allowInsecureHttp: false,
      allowedAddresses: ['10.0.0.0/24'],
    });
    expect(allowlisted.sameOrigin('https://10.0.0.5/api', 'poll').host).toBe('10.0.0.5');
  });
});
