import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** The context the file's lab runs through: it names the daemon's socket, and no DOCKER_HOST is set. */
export const E2E_CONTEXT = 'kindlab-e2e';
/** A second context whose socket does not exist: a command that follows contexts must fail on it. */
export const E2E_NOWHERE_CONTEXT = 'kindlab-e2e-nowhere';
export const E2E_NOWHERE_HOST = 'unix:///run/kindlab-e2e-nowhere.sock';

export interface DockerContextEnv {
  /** The throwaway Docker config directory (contexts and config.json). */
  configDir: string;
  /** For `lab`: DOCKER_CONFIG set, DOCKER_HOST removed, so the current context decides. */
  env: Record<string, string | undefined>;
}

/**
 * A throwaway DOCKER_CONFIG made with the docker CLI itself (`docker context create`/`use`), whose
 * current context points at the socket the daemon listens on. The user's ~/.docker is never touched.
 */
export function useDockerContext(host = 'unix:///var/run/docker.sock'): () => DockerContextEnv {
  let made: DockerContextEnv | undefined;
  beforeAll(() => {
    const configDir = mkdtempSync(join(tmpdir(), 'kindlab-e2e-docker-config-'));
    const docker = (...args: string[]): void => void execFileSync('docker', ['--config', configDir, ...args], { stdio: 'pipe' });
    docker('context', 'create', E2E_CONTEXT, '--docker', `host=${host}`);
    docker('context', 'create', E2E_NOWHERE_CONTEXT, '--docker', `host=${E2E_NOWHERE_HOST}`);
    docker('context', 'use', E2E_CONTEXT);
    made = { configDir, env: { DOCKER_CONFIG: configDir, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined } };
  });
  afterAll(() => {
    if (made) rmSync(made.configDir, { recursive: true, force: true });
  });
  return () => {
    if (!made) throw new Error('the Docker context was not created (see the beforeAll error)');
    return made;
  };
}
