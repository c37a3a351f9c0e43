import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/build-program.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { defaultDockerCli } from '../../../src/docker/default-docker-cli.js';
import { DOCKER_HOST_FLAG_ENV, resolveDockerEndpoint } from '../../../src/docker/resolve-docker-endpoint.js';
import { useCleanEnv } from '../support/clean-env.js';
import { FakeRunner } from '../support/fake-runner.js';
import { usageErrorOf } from '../support/usage-error-of.js';

const FIXTURE_CONFIG = new URL('../../fixtures/docker-config', import.meta.url).pathname;
const KEYS = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', DOCKER_HOST_FLAG_ENV] as const;

describe('lab --docker-host URL: one daemon for the whole command', () => {
  useCleanEnv(KEYS);

  it('wins over DOCKER_HOST and every context, names itself as the source, and is pinned as DOCKER_HOST', () => {
    const endpoint = resolveDockerEndpoint({
      [DOCKER_HOST_FLAG_ENV]: 'tcp://10.0.0.5:2375',
      DOCKER_HOST: 'unix:///run/other.sock',
      DOCKER_CONTEXT: 'kindlab-fixture',
      DOCKER_CONFIG: FIXTURE_CONFIG,
    });
    expect(endpoint).toEqual({
      host: 'tcp://10.0.0.5:2375',
      context: 'default',
      source: '--docker-host',
      env: { DOCKER_HOST: 'tcp://10.0.0.5:2375', DOCKER_CONTEXT: undefined },
    });
  });

  it.each(['10.0.0.5:2375', 'http://10.0.0.5:2375', 'unix://', 'tcp:// host'])('refuses %j with a usage error naming the flag', (url) => {
    const error = usageErrorOf(() => resolveDockerEndpoint({ [DOCKER_HOST_FLAG_ENV]: url }));
    expect(error.message).toBe(`invalid --docker-host "${url}": not a Docker endpoint URL`);
    expect(error.hint).toMatch(/tcp:\/\//);
  });

  it('the flag, before or after the command, reaches every docker call through the Docker seam', async () => {
    for (const args of [
      ['--docker-host', 'unix:///run/kindlab-remote.sock', 'list'],
      ['list', '--docker-host', 'unix:///run/kindlab-remote.sock'],
    ]) {
      delete process.env[DOCKER_HOST_FLAG_ENV];
      process.env.DOCKER_HOST = 'unix:///nonexistent.sock';
      process.env.DOCKER_CONFIG = FIXTURE_CONFIG;
      const program = await buildProgram();
      let command: Command = program;
      for (const word of args) command = command.commands.find((c) => c.name() === word) ?? command;
      const runner = new FakeRunner(() => ({ stdout: '' }));
      command.action(async () => {
        await defaultDockerCli(runner).containersWithLabel('io.x-k8s.kind.cluster');
      });
      await program.parseAsync(args, { from: 'user' });
      expect(runner.calls.map((c) => [c.command, c.options.env])).toEqual([
        ['docker', { DOCKER_HOST: 'unix:///run/kindlab-remote.sock', DOCKER_CONTEXT: undefined }],
      ]);
    }
  });

  it('a bad URL stops the command before any work: exit 2, one error line naming the flag', async () => {
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((text: string) => stderr.push(text) > 0) as typeof process.stderr.write;
    try {
      expect(await runCli(['--docker-host', 'docker.example:2375', 'list'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(stderr.join('')).toMatch(/^error: invalid --docker-host "docker.example:2375": not a Docker endpoint URL\nhint: e\.g\./);
    expect(process.env[DOCKER_HOST_FLAG_ENV]).toBeUndefined();
  });
});
