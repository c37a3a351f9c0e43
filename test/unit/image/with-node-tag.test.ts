import { describe, expect, it } from 'vitest';
import { BUILD_STAGES } from '../../../src/image/image-recipes.js';
import { withNodeTag } from '../../../src/image/with-node-tag.js';

describe('withNodeTag', () => {
  it('retags only the node stage', () => {
    const stages = withNodeTag(BUILD_STAGES, 'kindlab/node:try-1');
    expect(stages.filter((s) => s.kind === 'node').map((s) => s.kind === 'node' && s.ref)).toEqual(['kindlab/node:try-1']);
    expect(stages.filter((s) => s.kind !== 'node')).toEqual(BUILD_STAGES.filter((s) => s.kind !== 'node'));
  });

  it.each(['Kindlab/node:x', 'kindlab/node:', 'kindlab//node', '-x', 'kindlab/node:a b', ''])('refuses %j with a usage error', (ref) => {
    expect(() => withNodeTag(BUILD_STAGES, ref)).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining('--node-tag') }));
  });
});
