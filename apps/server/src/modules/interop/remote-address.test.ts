import { describe, expect, it } from 'vitest';
import { internalAddressKind } from './remote-address.js';

describe('internalAddressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified ("this network")'],
    ['10.1.2.3', 'private network'],
    ['172.16.0.1', 'private network'],
    ['172.31.255.255', 'private network'],
    ['192.168.1.1', 'private network'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'shared (carrier-grade NAT) network'],
    ['100.127.255.255', 'shared (carrier-grade NAT) network'],
    ['192.0.0.8', 'IETF protocol assignment'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved (and broadcast)'],
    ['255.255.255.255', 'reserved (and broadcast)'],
  ])('refuses the IPv4 address %s (%s)', (address, kind) => {
    expect(internalAddressKind(address)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.0.1',
    '223.255.255.255',
    '11.0.0.1',
    '192.169.0.1',
  ])('allows the public IPv4 address %s', (address) => {
    expect(internalAddressKind(address)).toBeNull();
  });

  it.each([
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique local (private network)'],
    ['fd12:3456:789a::1', 'unique local (private network)'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['100::1', 'discard-only'],
    ['64:ff9b:1::1', 'local-use NAT64'],
  ])('refuses the IPv6 address %s (%s)', (address, kind) => {
    expect(internalAddressKind(address)).toBe(kind);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local (cloud metadata)'],
    ['::ffff:169.254.169.254', 'link-local (cloud metadata)'],
    ['::ffff:10.0.0.1', 'private network'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::ffff:0:a9fe:a9fe', 'link-local (cloud metadata)'],
    ['::ffff:192.168.0.1', 'private network'],
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'IPv4-compatible (deprecated)'],
    ['64:ff9b::10.0.0.1', 'private network'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:c0a8:0101::1', 'private network'],
    ['2002:7f00:1::', 'loopback'],
  ])('refuses the IPv4 address carried in %s (%s)', (address, kind) => {
    expect(internalAddressKind(address)).toBe(kind);
  });

  it.each([
    '2606:4700:4700::1111',
    '2a00:1450:4001:82a::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    'fe00::1',
    'fbff::1',
  ])('allows the public IPv6 address %s', (address) => {
    expect(internalAddressKind(address)).toBeNull();
  });

  it('answers null for what is not an IP address (names are resolved first)', () => {
    expect(internalAddressKind('localhost')).toBeNull();
    expect(internalAddressKind('example.org')).toBeNull();
    expect(internalAddressKind('')).toBeNull();
  });
});
