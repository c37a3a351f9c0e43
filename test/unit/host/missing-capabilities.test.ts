import { describe, expect, it } from 'vitest';
import { capabilityNames } from '../../../src/host/capability-names.js';
import { missingCapabilities, parseBoundingSet } from '../../../src/host/missing-capabilities.js';
import { fixture } from './fakes.js';

describe('missingCapabilities', () => {
  const status = fixture('proc-self-status.txt');
  const lastCap = Number(fixture('cap-last-cap.txt'));

  it('finds CAP_SYS_RESOURCE missing from the recorded bounding set', () => {
    expect(missingCapabilities(status, lastCap)).toEqual(['CAP_SYS_RESOURCE']);
  });

  it('reads CapBnd, not the other capability masks', () => {
    const altered = status.replace(/^CapEff:.*$/m, 'CapEff:\t0000000000000000');
    expect(parseBoundingSet(altered)).toBe(parseBoundingSet(status));
    expect(missingCapabilities(altered, lastCap)).toEqual(['CAP_SYS_RESOURCE']);
  });

  it('ignores bits above cap_last_cap (capabilities the kernel does not know)', () => {
    expect(missingCapabilities(status, 23)).toEqual([]);
  });

  it('names every capability the recorded kernel knows', () => {
    expect(capabilityNames().length).toBeGreaterThan(lastCap);
    // The file caps.go embeds: numbers as in capability.h.
    expect(capabilityNames()[0]).toBe('CAP_CHOWN');
    expect(capabilityNames()[21]).toBe('CAP_SYS_ADMIN');
  });

  it('fails clearly without CapBnd', () => {
    expect(() => parseBoundingSet('Name:\tcat\n')).toThrow(/CapBnd/);
  });
});
