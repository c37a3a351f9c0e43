import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { CommandRunner } from '../common/command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';

/** What a request to the current context's API server needs: where, whom to trust, who we are. */
export interface KubeCredentials {
  server: string;
  /** PEM; absent: the system's CAs. */
  ca?: Buffer;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  clientCert?: Buffer;
  clientKey?: Buffer;
  /** The Authorization header value, when the user authenticates by token or password. */
  authorization?: string;
}

interface NamedEntry<T> {
  name: string;
  [key: string]: unknown;
  value?: T;
}

interface ExecConfig {
  apiVersion?: string;
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }>;
}

interface KubeconfigUser {
  'client-certificate-data'?: string;
  'client-certificate'?: string;
  'client-key-data'?: string;
  'client-key'?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  exec?: ExecConfig;
}

interface KubeconfigCluster {
  server?: string;
  'certificate-authority-data'?: string;
  'certificate-authority'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: Array<NamedEntry<unknown> & { context?: { cluster?: string; user?: string } }>;
  clusters?: Array<NamedEntry<unknown> & { cluster?: KubeconfigCluster }>;
  users?: Array<NamedEntry<unknown> & { user?: KubeconfigUser }>;
}

/** The current context's server of a kubeconfig text, without reading any credential. */
export function kubeconfigServer(kubeconfigText: string): string {
  return currentCluster(parseKubeconfig(kubeconfigText)).server ?? '';
}

/**
 * The credentials of a kubeconfig's current context, as kubectl reads them: inline data or files,
 * client certificates, bearer tokens (inline or tokenFile), basic auth, and exec credential plugins
 * (client.authentication.k8s.io, run with an argument array). Not supported: auth-provider (removed
 * from kubectl) and proxy-url.
 */
export async function kubeconfigCredentials(kubeconfigText: string, runner?: CommandRunner): Promise<KubeCredentials> {
  const config = parseKubeconfig(kubeconfigText);
  const cluster = currentCluster(config);
  const user = currentUser(config);
  if (!cluster.server) throw new KindlabError('failed to read the kubeconfig: its current context names a cluster without a server');
  const credentials: KubeCredentials = {
    server: cluster.server.replace(/\/+$/, ''),
    ca: pem(cluster['certificate-authority-data'], cluster['certificate-authority']),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: cluster['tls-server-name'],
    clientCert: pem(user['client-certificate-data'], user['client-certificate']),
    clientKey: pem(user['client-key-data'], user['client-key']),
  };
  const token = user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined);
  if (token) credentials.authorization = `Bearer ${token}`;
  else if (user.username !== undefined && user.password !== undefined) {
    credentials.authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  } else if (user.exec) {
    if (!runner) throw new KindlabError('failed to read the kubeconfig: its user needs an exec credential plugin, and no command runner was given');
    Object.assign(credentials, await execCredentials(user.exec, runner));
  }
  return credentials;
}

function parseKubeconfig(text: string): Kubeconfig {
  let parsed: unknown;
  try {
    // A kubeconfig kindlab made from admin.conf is JSON (admin-kubeconfig.ts): JSON.parse is many times faster than a YAML parser.
    parsed = text.trimStart().startsWith('{') ? JSON.parse(text) : load(text);
  } catch (error) {
    throw new KindlabError('failed to parse the kubeconfig as YAML', { cause: error });
  }
  if (!parsed || typeof parsed !== 'object') throw new KindlabError('failed to parse the kubeconfig: it is not a YAML mapping');
  return parsed as Kubeconfig;
}

function currentContext(config: Kubeconfig): { cluster?: string; user?: string } {
  const name = config['current-context'];
  const context = config.contexts?.find((entry) => entry.name === name)?.context;
  if (!context) throw new KindlabError(`failed to read the kubeconfig: no context named ${JSON.stringify(name ?? '')} (its current-context)`);
  return context;
}

function currentCluster(config: Kubeconfig): KubeconfigCluster {
  const name = currentContext(config).cluster;
  const cluster = config.clusters?.find((entry) => entry.name === name)?.cluster;
  if (!cluster)
    throw new KindlabError(`failed to read the kubeconfig: its current context names cluster ${JSON.stringify(name ?? '')}, which it does not define`);
  return cluster;
}

function currentUser(config: Kubeconfig): KubeconfigUser {
  const name = currentContext(config).user;
  // A context without a user talks to the server anonymously, as kubectl does.
  return config.users?.find((entry) => entry.name === name)?.user ?? {};
}

function pem(data: string | undefined, file: string | undefined): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  return file ? readFileSync(file) : undefined;
}

/** Runs the plugin as kubectl does (KUBERNETES_EXEC_INFO on its environment) and reads the ExecCredential it prints. */
async function execCredentials(exec: ExecConfig, runner: CommandRunner): Promise<Partial<KubeCredentials>> {
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1';
  const env: Record<string, string> = Object.fromEntries((exec.env ?? []).map((entry) => [entry.name, entry.value]));
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false } });
  const result = await runner.run(exec.command, exec.args ?? [], { env, timeoutMs: 60_000 });
  let status: { token?: string; clientCertificateData?: string; clientKeyData?: string } | undefined;
  try {
    status = (JSON.parse(result.stdout) as { status?: typeof status }).status;
  } catch (error) {
    throw new KindlabError(`failed to read the credential printed by ${exec.command} (not an ExecCredential JSON)`, { cause: error });
  }
  if (status?.token) return { authorization: `Bearer ${status.token}` };
  if (status?.clientCertificateData && status.clientKeyData) {
    return { clientCert: Buffer.from(status.clientCertificateData), clientKey: Buffer.from(status.clientKeyData) };
  }
  throw new KindlabError(`failed to read the credential printed by ${exec.command}: its status has neither a token nor a client certificate`);
}
