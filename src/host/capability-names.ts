import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/paths.js';
import { RUNTIME_WRAPPER_SOURCE } from './runtime-wrapper.js';

let names: readonly string[] | undefined;

/**
 * Linux capability names by number (include/uapi/linux/capability.h), as OCI specs spell them.
 * One list, shared with the runtime wrapper's Go (caps.go embeds the same file).
 */
export function capabilityNames(): readonly string[] {
  names ??= readFileSync(join(projectRoot(), RUNTIME_WRAPPER_SOURCE, 'capability-names.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return names;
}
