import type Docker from 'dockerode';
import { KindlabError } from '../../common/kindlab-error.js';

/**
 * One cheap request before inspect/report/verify start, so a daemon that is down or refuses the
 * connection is one clear error rather than a failure in the middle of the work.
 */
export async function pingDockerDaemon(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new KindlabError(`failed to reach the Docker daemon at ${daemonAddress(docker)}${code ? `: ${code}` : ''}`, {
      cause,
      hint: 'run `lab host prepare` to install and start Docker, or point DOCKER_HOST at a running daemon',
    });
  }
}

function daemonAddress(docker: Docker): string {
  const modem = docker.modem as { socketPath?: unknown; host?: string; port?: string | number; protocol?: string };
  if (typeof modem.socketPath === 'string') return `unix://${modem.socketPath}`;
  return modem.host ? `${modem.protocol ?? 'http'}://${modem.host}${modem.port ? `:${modem.port}` : ''}` : (process.env.DOCKER_HOST ?? 'the default socket');
}
