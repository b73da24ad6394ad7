// Address rules as tables: the per-address bucket a client counts under, the addresses a webhook
// may not reach, and TESSERA_TRUST_PROXY's values.
import { describe, expect, it } from 'vitest'
import { trustProxyFrom } from '../../../backend/config.js'
import { blockedAddress } from '../../../backend/events/webhook-url.js'
import { addressBucket } from '../../../backend/http/middleware/client-address.js'

describe('addressBucket', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['198.51.100.7:51234', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['[::ffff:198.51.100.7]:443', '198.51.100.7'],
    ['2001:db8:7:1::1', '2001:db8:7:1::/64'],
    ['2001:db8:7:1:ffff:ffff:ffff:ffff', '2001:db8:7:1::/64'],
    ['[2001:db8:7:1::9]:80', '2001:db8:7:1::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['unknown', 'other:unknown'],
  ])('%s counts as %s', (raw, bucket) => expect(addressBucket(raw)).toBe(bucket))
})

describe('blockedAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'unique local'],
    ['fdff:ffff::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
  ])('refuses %s (%s)', (address, reason) => expect(blockedAddress(address)).toContain(reason))

  it.each(['203.0.113.10', '8.8.8.8', '172.32.0.1', '172.15.255.255', '100.128.0.1', '169.253.1.1', '2001:db8::1', '2606:4700::1111', '::ffff:8.8.8.8', 'fe00::1'])('allows %s', (address) =>
    expect(blockedAddress(address)).toBeNull(),
  )
})

describe('TESSERA_TRUST_PROXY', () => {
  it('is a number of proxies; true and false keep their old meaning; anything else stops the start', () => {
    expect([undefined, '', '0', 'false', '1', 'true', '2', '10'].map(trustProxyFrom)).toEqual([0, 0, 0, 0, 1, 1, 2, 10])
    for (const bad of ['yes', '-1', '1.5', ' 1', '100']) expect(() => trustProxyFrom(bad), bad).toThrow(/TESSERA_TRUST_PROXY/)
  })
})
