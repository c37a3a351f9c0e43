import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDockerEndpoint } from '../../../src/docker/resolve-docker-endpoint.js';
import { useScratchDirs } from '../support/scratch-dirs.js';

/** Made by the docker CLI itself (see test/fixtures/README.md): context kindlab-fixture, also the current one. */
const FIXTURE_CONFIG = new URL('../../fixtures/docker-config', import.meta.url).pathname;
const FIXTURE_HOST = 'unix:///run/kindlab-fixture/docker.sock';

describe('resolveDockerEndpoint (the docker CLI order)', () => {
  const emptyHome = useScratchDirs('kindlab-endpoint-');

  it('DOCKER_HOST wins over DOCKER_CONTEXT and the config, and is pinned as DOCKER_HOST', () => {
    const endpoint = resolveDockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_CONTEXT: 'kindlab-fixture', DOCKER_CONFIG: FIXTURE_CONFIG });
    expect(endpoint).toEqual({
      host: 'tcp://10.0.0.5:2376',
      context: 'default',
      source: 'DOCKER_HOST',
      env: { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_CONTEXT: undefined },
    });
  });

  it('DOCKER_CONTEXT names a context: its host from the context store, pinned by name (TLS material stays in use)', () => {
    const endpoint = resolveDockerEndpoint({ DOCKER_CONTEXT: 'kindlab-fixture', DOCKER_CONFIG: FIXTURE_CONFIG }, emptyHome());
    expect(endpoint).toEqual({
      host: FIXTURE_HOST,
      context: 'kindlab-fixture',
      source: 'DOCKER_CONTEXT=kindlab-fixture',
      env: { DOCKER_CONTEXT: 'kindlab-fixture', DOCKER_HOST: undefined, DOCKER_CONFIG: FIXTURE_CONFIG },
    });
  });

  it('without either, the currentContext of $DOCKER_CONFIG/config.json', () => {
    const endpoint = resolveDockerEndpoint({ DOCKER_CONFIG: FIXTURE_CONFIG }, emptyHome());
    expect(endpoint.host).toBe(FIXTURE_HOST);
    expect(endpoint.source).toBe(`currentContext "kindlab-fixture" in ${join(FIXTURE_CONFIG, 'config.json')}`);
    expect(endpoint.env).toEqual({ DOCKER_CONTEXT: 'kindlab-fixture', DOCKER_HOST: undefined, DOCKER_CONFIG: FIXTURE_CONFIG });
  });

  it('without DOCKER_CONFIG, the config in ~/.docker', () => {
    const home = emptyHome();
    cpSync(FIXTURE_CONFIG, join(home, '.docker'), { recursive: true });
    expect(resolveDockerEndpoint({}, home)).toMatchObject({ host: FIXTURE_HOST, context: 'kindlab-fixture' });
  });

  it('no config at all, or an empty DOCKER_HOST: the default context and socket', () => {
    const home = emptyHome();
    expect(resolveDockerEndpoint({ DOCKER_HOST: '' }, home)).toEqual({
      host: 'unix:///var/run/docker.sock',
      context: 'default',
      source: 'the default context',
      env: { DOCKER_CONTEXT: 'default', DOCKER_HOST: undefined, DOCKER_CONFIG: join(home, '.docker') },
    });
  });

  it('DOCKER_CONTEXT=default is the default socket even when the config names another context', () => {
    expect(resolveDockerEndpoint({ DOCKER_CONTEXT: 'default', DOCKER_CONFIG: FIXTURE_CONFIG }).host).toBe('unix:///var/run/docker.sock');
  });

  it('a context that does not exist is an error naming it and where it came from', () => {
    expect(() => resolveDockerEndpoint({ DOCKER_CONTEXT: 'colima', DOCKER_CONFIG: FIXTURE_CONFIG })).toThrow(
      `failed to read Docker context "colima" (from DOCKER_CONTEXT=colima): no such context in ${join(FIXTURE_CONFIG, 'contexts')}`,
    );
  });

  it('an unreadable config.json is an error naming the file', () => {
    const dir = emptyHome();
    writeFileSync(join(dir, 'config.json'), '{ not json');
    expect(() => resolveDockerEndpoint({ DOCKER_CONFIG: dir })).toThrow(`failed to read the Docker config ${join(dir, 'config.json')}`);
  });
});
