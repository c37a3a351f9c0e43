import { capabilityNames } from './capability-names.js';

/** The CapBnd mask from the text of /proc/<pid>/status. */
export function parseBoundingSet(status: string): bigint {
  const match = /^CapBnd:\s*([0-9a-fA-F]+)\s*$/m.exec(status);
  if (!match?.[1]) throw new Error('failed to find CapBnd in the process status');
  return BigInt(`0x${match[1]}`);
}

/**
 * Capabilities the kernel knows (0..cap_last_cap) that the bounding set lacks. Docker 20.10 asks
 * runc for all of them on --privileged, and runc cannot grant what the bounding set lacks.
 */
export function missingCapabilities(status: string, lastCap: number): string[] {
  const bounding = parseBoundingSet(status);
  const names = capabilityNames();
  const missing: string[] = [];
  for (let bit = 0; bit <= lastCap; bit++) {
    if ((bounding & (1n << BigInt(bit))) === 0n) missing.push(names[bit] ?? `CAP_${bit}`);
  }
  return missing;
}
