import { execFileSync } from 'node:child_process';

const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
const LAB_LABEL = 'dev.kindlab.lab';

function docker(args: string[]): string[] {
  return execFileSync('docker', args, { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Every container, volume and network carrying kind's or kindlab's label for this lab, by name. */
export function labResources(name: string): { containers: string[]; volumes: string[]; networks: string[] } {
  const unique = (xs: string[]) => [...new Set(xs)].sort();
  const byLabel = (kind: 'ps' | 'volume' | 'network', label: string) => {
    const filter = `label=${label}=${name}`;
    if (kind === 'ps') return docker(['ps', '-a', '--filter', filter, '--format', '{{.Names}}']);
    return docker([kind, 'ls', '--filter', filter, '--format', '{{.Name}}']);
  };
  return {
    containers: unique([...byLabel('ps', KIND_CLUSTER_LABEL), ...byLabel('ps', LAB_LABEL)]),
    volumes: unique([...byLabel('volume', KIND_CLUSTER_LABEL), ...byLabel('volume', LAB_LABEL)]),
    networks: unique([...byLabel('network', KIND_CLUSTER_LABEL), ...byLabel('network', LAB_LABEL)]),
  };
}

/**
 * Test-side cleanup by label, independent of the code under test: a crashed earlier run must not make
 * this one fail with "name already in use", and a failed test must not leave clusters behind.
 */
export function removeLabByLabel(name: string): void {
  const { containers, volumes, networks } = labResources(name);
  if (containers.length) execFileSync('docker', ['rm', '--force', '--volumes', ...containers], { stdio: 'ignore' });
  if (volumes.length) execFileSync('docker', ['volume', 'rm', '--force', ...volumes], { stdio: 'ignore' });
  if (networks.length) execFileSync('docker', ['network', 'rm', ...networks], { stdio: 'ignore' });
}

/** Why the e2e tests cannot run here, or undefined. Never skips on CI: there a missing Docker is a failure. */
export function dockerSkipReason(): string | undefined {
  if (process.env.CI === 'true') return undefined;
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore', timeout: 20_000 });
    return undefined;
  } catch {
    return 'no Docker daemon answers (run `lab host prepare`)';
  }
}
