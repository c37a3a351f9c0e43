import { UsageError } from './kindlab-error.js';

/*
 * kind v0.30.0 accepts cluster names matching ^[a-z0-9.-]+$ (pkg/internal/apis/config/validate.go,
 * validNameRE) and warns above 50 characters. kindlab is stricter: the name also becomes container
 * hostnames (<name>-control-plane3, <name>-external-etcd), a kubeconfig context, a Docker label value
 * and a lock file name, so it must be a DNS label (no dots, so never "." or "..", no slash) short
 * enough that the longest suffix still fits in 63 characters.
 */
export const LAB_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
export const MAX_LAB_NAME_LENGTH = 40;

/**
 * The one check for a lab name, run by every command before the name reaches a path, a Docker
 * filter or a label. `field` names where the value came from (e.g. "--name", "lab file name").
 */
export function parseLabName(value: string, field = 'lab name'): string {
  if (isValidLabName(value)) return value;
  const problem =
    value.length === 0
      ? 'it is empty'
      : value.length > MAX_LAB_NAME_LENGTH
        ? `it is ${value.length} characters long, at most ${MAX_LAB_NAME_LENGTH} are allowed`
        : 'only lowercase letters, digits and "-" are allowed, starting and ending with a letter or digit';
  throw new UsageError(`invalid ${field} ${JSON.stringify(value)}: ${problem}`, {
    hint: `use a name such as "demo" or "team-1" (DNS label, at most ${MAX_LAB_NAME_LENGTH} characters)`,
  });
}

export function isValidLabName(value: string): boolean {
  return value.length <= MAX_LAB_NAME_LENGTH && LAB_NAME_PATTERN.test(value);
}

/** The optional lab argument of a command: checked when given, left out when not (the command then picks the only lab). */
export function parseOptionalLabName(value: string | undefined): string | undefined {
  return value === undefined ? undefined : parseLabName(value);
}
