import type { CommandRunner } from '../common/command-runner.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';

/** The fields of `docker info` kindlab uses. */
export interface DockerInfo {
  serverVersion: string;
  defaultRuntime: string;
  runtimes: string[];
  rootDir: string;
  cgroupVersion: string;
}

/** `docker info --format '{{json .}}'`; undefined when no daemon answers (or there is no docker CLI). */
export async function readDockerInfo(runner: CommandRunner): Promise<DockerInfo | undefined> {
  let stdout: string;
  try {
    const result = await defaultDockerCli(runner).run(['info', '--format', '{{json .}}'], { allowFailure: true, timeoutMs: 30_000 });
    if (result.exitCode !== 0) return undefined;
    stdout = result.stdout;
  } catch {
    // No docker CLI at all.
    return undefined;
  }
  const info = JSON.parse(stdout) as Record<string, unknown>;
  // With the daemon down some CLIs still exit 0 and report only ServerErrors.
  if (typeof info.ServerVersion !== 'string' || info.ServerVersion === '') return undefined;
  return {
    serverVersion: info.ServerVersion,
    defaultRuntime: String(info.DefaultRuntime ?? ''),
    runtimes: Object.keys((info.Runtimes as Record<string, unknown> | undefined) ?? {}),
    rootDir: String(info.DockerRootDir ?? '/var/lib/docker'),
    cgroupVersion: String(info.CgroupVersion ?? ''),
  };
}
