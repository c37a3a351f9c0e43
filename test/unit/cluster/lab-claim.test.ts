import { describe, expect, it } from 'vitest';
import { claimLab, findClaim } from '../../../src/cluster/lab-claim.js';
import { ExecaDockerCli } from '../../../src/docker/docker-cli.js';
import { abortWhenCalled } from '../support/abort-when-called.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { FakeRunner } from '../support/fake-runner.js';
import { FakeDocker } from '../support/fake-docker.js';

describe('claimLab', () => {
  it('creates a never-started container named after the lab, labelled with lab, run, component and time', async () => {
    const runner = new FakeRunner();
    await claimLab(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT), 'demo', 'abcd1234', '2026-11-30T05:00:00.000Z', 'kindlab/node:v1.34.4');
    expect(runner.lines()).toEqual([
      'docker create --name demo-kindlab-claim --label dev.kindlab.lab=demo --label dev.kindlab.run=abcd1234 --label dev.kindlab.component=claim --label dev.kindlab.claimed-at=2026-11-30T05:00:00.000Z --network none kindlab/node:v1.34.4',
    ]);
  });

  it('a second claim of the name fails with "in use" naming the holder, exit 2', async () => {
    const docker = new FakeDocker();
    await claimLab(docker, 'demo', 'first001', 'T1', 'img');
    await expect(claimLab(docker, 'demo', 'second02', 'T2', 'img')).rejects.toMatchObject({
      message: 'lab demo is in use (by run first001 since T1)',
      hint: 'choose another --name, or if that run is gone remove the lab with `lab down demo`',
      exitCode: 2,
    });
    expect(await findClaim(docker, 'demo')).toEqual({ lab: 'demo', runId: 'first001', claimedAt: 'T1', container: 'demo-kindlab-claim' });
    expect(docker.containers).toHaveLength(1);
  });

  it("a create that lost by milliseconds waits until the winner's claim is listed (the daemon reserves the name first)", async () => {
    const docker = new FakeDocker();
    await claimLab(docker, 'demo', 'first001', 'T1', 'img');
    const claimContainer = docker.containers.pop()!;
    const list = docker.containersWithLabel.bind(docker);
    let lookups = 0;
    docker.containersWithLabel = async (key, value) => {
      if (++lookups === 3) docker.containers.push(claimContainer);
      return list(key, value);
    };
    const create = docker.createContainer.bind(docker);
    docker.createContainer = async (args) => {
      docker.containers.push({ ...claimContainer, name: 'demo-kindlab-claim', labels: {} });
      const result = await create(args);
      docker.containers.pop();
      return result;
    };
    await expect(claimLab(docker, 'demo', 'second02', 'T2', 'img')).rejects.toMatchObject({ message: 'lab demo is in use (by run first001 since T1)' });
    expect(lookups).toBe(3);
  });

  it("Ctrl-C while it looks for the winner's claim ends the look at once (it used to sleep on for up to 5 s)", async () => {
    const docker = new FakeDocker();
    await claimLab(docker, 'demo', 'first001', 'T1', 'img');
    // The winner's claim is never listed: its run failed and removed it right after the conflict.
    docker.containers.pop();
    docker.createContainer = async () => ({
      command: 'docker',
      args: ['create'],
      exitCode: 1,
      stdout: '',
      stderr: 'Error response from daemon: Conflict. The container name "/demo-kindlab-claim" is already in use',
    });
    const abort = new AbortController();
    abortWhenCalled(docker, 'containersWithLabel', abort, new Error('SIGINT'));
    await expect(claimLab(docker, 'demo', 'second02', 'T2', 'img', abort.signal)).rejects.toThrow('SIGINT');
  });

  it('any other docker create failure is a command error with the command to paste', async () => {
    const runner = new FakeRunner(() => ({ exitCode: 1, stderr: 'Error: No such image: img' }));
    await expect(claimLab(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT), 'demo', 'r', 'T', 'img')).rejects.toThrow(
      /failed to run docker \(exit 1\):\n {2}\$ docker create --name demo-kindlab-claim .* img\n {2}Error: No such image: img/,
    );
  });
});
