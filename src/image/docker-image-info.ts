import type { CommandRunner } from '../common/command-runner.js';

export interface DockerImageInfo {
  id: string;
  sizeBytes: number;
  created: string;
  labels: Record<string, string>;
}

/** `docker image inspect`, or undefined when the reference does not exist locally. */
export async function inspectDockerImage(runner: CommandRunner, ref: string): Promise<DockerImageInfo | undefined> {
  const result = await runner.run('docker', ['image', 'inspect', '--format', '{{json .}}', ref], { allowFailure: true });
  if (result.exitCode !== 0) return undefined;
  const raw = JSON.parse(result.stdout) as { Id: string; Size: number; Created: string; Config?: { Labels?: Record<string, string> | null } };
  return { id: raw.Id, sizeBytes: raw.Size, created: raw.Created, labels: raw.Config?.Labels ?? {} };
}
