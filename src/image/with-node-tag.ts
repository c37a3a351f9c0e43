import { UsageError } from '../common/kindlab-error.js';
import type { BuildStage } from './build-stages.js';

/** Docker's reference grammar, without registry ports or digests: enough for a local tag. */
const IMAGE_REF = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/;

/**
 * The stages with the node image tagged `ref` instead of kindlab/node:<version>: a candidate node
 * image built beside the one labs use, which neither replaces nor removes it.
 */
export function withNodeTag(stages: readonly BuildStage[], ref: string): BuildStage[] {
  if (!IMAGE_REF.test(ref)) {
    throw new UsageError(`invalid --node-tag ${JSON.stringify(ref)}: expected an image reference like kindlab/node:try`, {
      hint: 'lowercase repository path, optional :tag (letters, digits, "_", ".", "-")',
    });
  }
  return stages.map((stage) => (stage.kind === 'node' ? { ...stage, ref, title: `node image ${ref}` } : stage));
}
