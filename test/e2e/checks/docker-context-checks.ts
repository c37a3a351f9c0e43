import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_CONTEXT, E2E_NOWHERE_CONTEXT, E2E_NOWHERE_HOST, type DockerContextEnv } from '../support/docker-context.js';
import type { LiveLabAccessor } from '../support/live-lab.js';
import { runLab } from '../support/run-lab.js';

/**
 * For a lab brought up with `useLiveLab({ env: context().env })`: `lab up` and `lab inspect` reached
 * the daemon through the Docker context (no DOCKER_HOST), as kind and the docker CLI do.
 */
export function registerDockerContextChecks(lab: LiveLabAccessor, context: () => DockerContextEnv): void {
  describe('Docker context (no DOCKER_HOST)', () => {
    it('lab up reached the daemon through the current context of DOCKER_CONFIG', () => {
      const preflight = lab()
        .upEvents.filter((e) => e.event === 'output' && e.step === 'preflight')
        .map((e) => String(e.line));
      const source = `currentContext "${E2E_CONTEXT}" in ${join(context().configDir, 'config.json')}`;
      expect(preflight[0]).toContain(`at unix:///var/run/docker.sock (from ${source})`);
    });

    it('lab inspect finds every node through the context', async () => {
      const inspect = await runLab(['inspect', lab().name, '--json'], { env: context().env });
      expect(inspect.exitCode, inspect.stderr).toBe(0);
      const snapshot = JSON.parse(inspect.stdout) as { nodes: Array<{ name: string; processes: unknown[] }>; warnings: string[] };
      expect(snapshot.nodes.map((n) => n.name).sort()).toEqual([...lab().controlPlaneContainers, ...lab().workerContainers].sort());
      expect(snapshot.nodes.every((n) => n.processes.length > 0)).toBe(true);
    });

    it('lab inspect follows DOCKER_CONTEXT: a context naming no daemon is an error naming it', async () => {
      const inspect = await runLab(['inspect', lab().name], { env: { ...context().env, DOCKER_CONTEXT: E2E_NOWHERE_CONTEXT } });
      expect(inspect.exitCode).toBe(1);
      expect(inspect.stderr).toContain(`error: failed to reach the Docker daemon at ${E2E_NOWHERE_HOST} (from DOCKER_CONTEXT=${E2E_NOWHERE_CONTEXT})`);
    });
  });
}
