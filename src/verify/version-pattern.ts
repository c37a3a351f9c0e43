/** A Kubernetes version pattern: v1.34.x, v1.34, v1.34.4 or v1.x (the leading v is optional). */
export interface VersionPattern {
  text: string;
  major: number;
  minor?: number;
  patch?: number;
}

export function parseVersionPattern(text: string): VersionPattern | undefined {
  const match = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, major, minor, patch] = match;
  const num = (part: string | undefined) => (part === undefined || part === 'x' || part === '*' ? undefined : Number(part));
  if (num(minor) === undefined && num(patch) !== undefined) return undefined;
  const pattern: VersionPattern = { text: text.trim(), major: Number(major) };
  const minorNumber = num(minor);
  const patchNumber = num(patch);
  if (minorNumber !== undefined) pattern.minor = minorNumber;
  if (patchNumber !== undefined) pattern.patch = patchNumber;
  return pattern;
}

/** "v1.34.4", "v1.34.0-rc.1+abc" and the like against a pattern; pre-release and build parts are ignored. */
export function versionMatches(pattern: VersionPattern, version: string): boolean {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!match) return false;
  const [major, minor, patch] = match.slice(1).map(Number);
  if (major !== pattern.major) return false;
  if (pattern.minor !== undefined && minor !== pattern.minor) return false;
  if (pattern.patch !== undefined && patch !== pattern.patch) return false;
  return true;
}
