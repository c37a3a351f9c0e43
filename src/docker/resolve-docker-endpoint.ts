import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KindlabError, UsageError } from '../common/kindlab-error.js';

/** The daemon kindlab talks to, where that choice came from, and the environment that pins it for child processes. */
export interface DockerEndpoint {
  /** e.g. unix:///var/run/docker.sock, tcp://10.0.0.5:2376, ssh://user@host */
  host: string;
  /** The docker context in use ("default" when DOCKER_HOST decides). */
  context: string;
  /** Where the choice came from, for error messages: `DOCKER_HOST`, `DOCKER_CONTEXT=colima`, ... */
  source: string;
  /**
   * Given to every docker CLI call and to kind (and through kind to the label shim), so they all reach
   * this daemon even if the config changes meanwhile. A context is pinned by name rather than by its
   * host, so a context's TLS material (which lives in the context store) keeps being used.
   */
  env: Record<string, string | undefined>;
}

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/**
 * Where `lab --docker-host URL` (src/cli/build-program.ts) leaves its choice for this process and the
 * `lab` processes it starts: it wins over DOCKER_HOST and every context, as the docker CLI's own `-H` does.
 */
export const DOCKER_HOST_FLAG_ENV = 'KINDLAB_DOCKER_HOST';

/** The endpoint schemes the docker CLI accepts for -H/DOCKER_HOST. */
const DOCKER_HOST_URL = /^(unix|tcp|ssh|npipe|fd):\/\/\S+$/;

/** A --docker-host value the docker CLI would accept, checked before any work. */
export function checkDockerHostUrl(url: string): string {
  if (!DOCKER_HOST_URL.test(url)) {
    throw new UsageError(`invalid --docker-host "${url}": not a Docker endpoint URL`, {
      hint: 'e.g. unix:///run/user/1000/docker.sock, tcp://10.0.0.5:2375 or ssh://user@host',
    });
  }
  return url;
}

/**
 * Resolves the endpoint as the docker CLI does (cli/command/cli.go resolveContextName): `--docker-host`
 * (DOCKER_HOST_FLAG_ENV, like the CLI's -H), DOCKER_HOST, then DOCKER_CONTEXT, then `currentContext` in $DOCKER_CONFIG/config.json (default ~/.docker), else
 * the "default" context. A named context's host is Endpoints.docker.Host in the context store's
 * contexts/meta/<sha256(name)>/meta.json. Synchronous and file-only: no daemon is contacted.
 */
export function resolveDockerEndpoint(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): DockerEndpoint {
  const configDir = nonEmpty(env.DOCKER_CONFIG) ?? join(home, '.docker');
  const flag = nonEmpty(env[DOCKER_HOST_FLAG_ENV]);
  if (flag) {
    const host = checkDockerHostUrl(flag);
    return { host, context: 'default', source: '--docker-host', env: { DOCKER_HOST: host, DOCKER_CONTEXT: undefined } };
  }
  const dockerHost = nonEmpty(env.DOCKER_HOST);
  if (dockerHost) {
    return { host: dockerHost, context: 'default', source: 'DOCKER_HOST', env: { DOCKER_HOST: dockerHost, DOCKER_CONTEXT: undefined } };
  }
  const fromEnv = nonEmpty(env.DOCKER_CONTEXT);
  const configFile = join(configDir, 'config.json');
  const fromConfig = fromEnv ? undefined : currentContext(configFile);
  const context = fromEnv ?? fromConfig ?? 'default';
  const source = fromEnv ? `DOCKER_CONTEXT=${fromEnv}` : fromConfig ? `currentContext "${fromConfig}" in ${configFile}` : 'the default context';
  const pinned = { DOCKER_CONTEXT: context, DOCKER_HOST: undefined, DOCKER_CONFIG: configDir };
  if (context === 'default') return { host: DEFAULT_DOCKER_HOST, context, source, env: pinned };
  return { host: contextHost(configDir, context, source), context, source, env: pinned };
}

/** "unix:///var/run/docker.sock (from DOCKER_CONTEXT=colima)": what error messages name. */
export function describeDockerEndpoint(endpoint: DockerEndpoint): string {
  return `${endpoint.host} (from ${endpoint.source})`;
}

function currentContext(configFile: string): string | undefined {
  if (!existsSync(configFile)) return undefined;
  try {
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' ? nonEmpty(config.currentContext) : undefined;
  } catch (cause) {
    throw new KindlabError(`failed to read the Docker config ${configFile}: ${(cause as Error).message}`, {
      cause,
      hint: 'fix the file, or set DOCKER_HOST or DOCKER_CONTEXT',
    });
  }
}

function contextHost(configDir: string, context: string, source: string): string {
  const meta = join(configDir, 'contexts', 'meta', createHash('sha256').update(context).digest('hex'), 'meta.json');
  let host: unknown;
  try {
    const parsed = JSON.parse(readFileSync(meta, 'utf8')) as { Endpoints?: { docker?: { Host?: unknown } } };
    host = parsed.Endpoints?.docker?.Host;
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    const detail = missing ? `no such context in ${join(configDir, 'contexts')}` : (cause as Error).message;
    throw new KindlabError(`failed to read Docker context "${context}" (from ${source}): ${detail}`, {
      cause,
      hint: 'list contexts with `docker context ls`; choose one with `docker context use NAME`',
    });
  }
  if (typeof host !== 'string' || host === '') {
    throw new KindlabError(`failed to read Docker context "${context}" (from ${source}): ${meta} names no Endpoints.docker.Host`, {
      hint: 'recreate it with `docker context create NAME --docker host=...`',
    });
  }
  return host;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
