import { describe, expect, it } from 'vitest';
import { resolveLabName } from '../../../src/common/resolve-lab-name.js';

/** Labs as Docker lists them by kind's cluster label (what DockerodeClusterContainers.listClusters returns). */
const labs = (...names: string[]) => ({ listClusters: async () => names });

describe('resolveLabName: one resolver, messages that name the command in use', () => {
  it.each(['inspect', 'report', 'verify', 'tour'])('lab %s: the only lab when none is named, the named one when it exists', async (command) => {
    expect(await resolveLabName(labs('demo'), undefined, command)).toBe('demo');
    expect(await resolveLabName(labs('demo', 'other'), 'other', command)).toBe('other');
  });

  it.each(['inspect', 'report', 'verify', 'tour'])(
    'lab %s: several labs and none named -> a usage error listing them, hinting `lab %s <first>`',
    async (command) => {
      await expect(resolveLabName(labs('a', 'b'), undefined, command)).rejects.toMatchObject({
        message: 'several labs exist (a, b); name one',
        hint: `for example: lab ${command} a`,
        exitCode: 2,
      });
    },
  );

  it.each(['inspect', 'report', 'verify', 'tour'])(
    'lab %s: a named lab that does not exist -> the labs there are, with the command to paste',
    async (command) => {
      await expect(resolveLabName(labs('a', 'b'), 'nope', command)).rejects.toMatchObject({
        message: 'no lab named "nope" exists',
        hint: `labs: a, b; for example: lab ${command} a`,
        exitCode: 2,
      });
      await expect(resolveLabName(labs(), 'nope', command)).rejects.toMatchObject({
        hint: `create it with \`lab up --name nope\`, then run \`lab ${command} nope\``,
      });
    },
  );

  it.each(['inspect', 'report', 'verify', 'tour'])('lab %s: no lab at all', async (command) => {
    await expect(resolveLabName(labs(), undefined, command)).rejects.toMatchObject({
      message: 'no lab exists',
      hint: `create one with \`lab up\`, then run \`lab ${command}\``,
    });
  });

  it('checks the name with the one lab-name rule before asking Docker', async () => {
    let asked = false;
    const lister = { listClusters: async () => ((asked = true), ['demo']) };
    await expect(resolveLabName(lister, '../../etc', 'verify')).rejects.toThrow(/invalid lab name "\.\.\/\.\.\/etc"/);
    expect(asked).toBe(false);
  });
});
