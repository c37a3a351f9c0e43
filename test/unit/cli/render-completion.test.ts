import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/build-program.js';
import { renderCompletion } from '../../../src/cli/render-completion.js';

/** Every command path of the tree: `up`, `host prepare`, ... */
function commandPaths(command: Command, prefix: string[] = []): string[] {
  return command.commands.flatMap((sub) => [[...prefix, sub.name()].join(' '), ...commandPaths(sub, [...prefix, sub.name()])]);
}

/** What bash offers after `lab <words>` (the last word is the one being completed). */
function complete(script: string, words: string[]): string[] {
  const program = `${script}\nCOMP_WORDS=(lab ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}; _lab_completion; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['-c', program], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

describe('lab completion', async () => {
  const program = await buildProgram();
  const bash = renderCompletion(program, 'bash');

  it('bash: the script lists every command of the tree and bash -n accepts it', () => {
    const paths = commandPaths(program);
    expect(paths).toEqual(expect.arrayContaining(['up', 'down', 'verify', 'tour', 'host prepare', 'image build', 'version', 'completion']));
    for (const path of paths) expect(bash).toContain(`path="${path}"`);
    const check = spawnSync('bash', ['-n'], { input: bash, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('bash: completes commands, subcommands, flags and the choices of a flag and an argument', () => {
    expect(complete(bash, ['ver'])).toEqual(['verify', 'version']);
    expect(complete(bash, ['image', ''])).toEqual(expect.arrayContaining(['build', 'list']));
    expect(complete(bash, ['report', '-o', ''])).toEqual(['text', 'md', 'html', 'json']);
    expect(complete(bash, ['up', '--etcd', 'e'])).toEqual(['external']);
    expect(complete(bash, ['up', 's'])).toEqual(['single']);
    expect(complete(bash, ['verify', '--probe'])).toEqual(['--probe-timeout']);
    // Hidden spellings kept for old scripts are not offered.
    expect(complete(bash, ['verify', '--'])).not.toContain('--format');
  });

  it('zsh wraps the bash script; fish lists each command with its flags and choices', () => {
    expect(renderCompletion(program, 'zsh')).toMatch(/^#compdef lab\n.*bashcompinit/);
    const fish = renderCompletion(program, 'fish');
    expect(fish).toContain("complete -c lab -n '__fish_use_subcommand' -a tour");
    expect(fish).toContain("complete -c lab -n '__fish_seen_subcommand_from up' -l etcd -x -a 'stacked external'");
    expect(fish).toContain("-n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from build save load list' -a build");
  });
});
