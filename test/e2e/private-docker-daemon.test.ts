import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doneWith, notYet, waitUntil } from '../../src/common/wait-until.js';
import { registerDockerHostChecks } from './checks/docker-host-checks.js';
import { startPrivateDockerDaemon, type PrivateDockerDaemon } from './support/private-docker-daemon.js';

// A second dockerd needs root (CI runs as root).
const skip = process.getuid?.() !== 0 && process.env.CI !== 'true';
// The machine daemon's bridge: a second dockerd with address pools deletes an interface by this name on a restart unless prevented.
const machineBridge = '/sys/class/net/docker0';
const machineBridgeBefore = existsSync(machineBridge);
const HTTPD = 'mkdir -p /www && echo private > /www/index.html && exec busybox httpd -f -p 8080 -h /www';

/** The busybox image `lab host prepare` imports to probe privileged containers. */
async function probeImage(): Promise<string> {
  const { stdout } = await execa('docker', ['images', 'kindlab/host-probe', '--format', '{{.Repository}}:{{.Tag}}']);
  const ref = stdout.split('\n').find(Boolean);
  if (!ref) throw new Error('no kindlab/host-probe image on the machine daemon: run `lab host prepare` first');
  return ref;
}

/** GET on a published port until it answers (busybox httpd needs a moment after the container starts). */
async function fetchPublished(url: string): Promise<string> {
  return waitUntil(
    async (signal) => {
      const response = await fetch(url, { signal });
      return response.ok ? doneWith(await response.text()) : notYet(`HTTP ${response.status}`);
    },
    { what: `${url} to answer`, timeoutMs: 60_000, intervalMs: 250 },
  );
}

describe.skipIf(skip)('a private docker daemon next to the machine daemon', () => {
  let daemon: PrivateDockerDaemon;
  let image: string;
  const docker = (args: string[]) => execa('docker', args, { env: daemon.env });

  beforeAll(async () => {
    image = await probeImage();
    daemon = await startPrivateDockerDaemon({ name: 'smoke', images: [image] });
  });

  afterAll(async () => {
    await daemon?.stop();
  });

  it('has the copied image and none of the machine daemon containers', async () => {
    expect(daemon.host).toMatch(/^unix:\/\/\/.+\/docker\.sock$/);
    expect((await docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n')).toEqual([image]);
    expect((await docker(['ps', '-aq'])).stdout).toBe('');
  });

  it('runs privileged containers and publishes their ports on 127.0.0.1, also after a restart', async () => {
    const serve = async () => {
      const { stdout: id } = await docker(['run', '-d', '--privileged', '--network', 'bridge', '-p', '127.0.0.1::8080', image, 'busybox', 'sh', '-c', HTTPD]);
      const { stdout: port } = await docker(['port', id, '8080/tcp']);
      return { id, url: `http://${port.split('\n')[0]}/` };
    };
    const first = await serve();
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await fetchPublished(first.url)).toBe('private\n');
    await daemon.restart();
    expect(existsSync(machineBridge)).toBe(machineBridgeBefore);
    expect((await docker(['images', '-q'])).stdout).not.toBe('');
    const second = await serve();
    expect(await fetchPublished(second.url)).toBe('private\n');
  });

  it('lets containers of one network reach each other (the nodes of a multi-node lab)', async () => {
    await docker(['network', 'create', 'nodes']);
    const { stdout: server } = await docker(['run', '-d', '--network', 'nodes', image, 'busybox', 'sh', '-c', HTTPD]);
    const { stdout: address } = await docker(['inspect', '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', server]);
    expect(address).toMatch(/^10\.213\./);
    // busybox's wget crashes in this static build; nc speaks the HTTP request itself.
    const get = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 2 ${address} 8080 | tail -n 1`;
    const script = `for i in $(seq 60); do out=$(${get}) && [ -n "$out" ] && echo "$out" && exit 0; sleep 0.5; done; exit 1`;
    const { stdout } = await docker(['run', '--rm', '--network', 'nodes', image, 'busybox', 'sh', '-c', script]);
    expect(stdout).toBe('private');
  });

  registerDockerHostChecks(() => daemon);

  it('stop removes its data root', async () => {
    const dataRoot = (await docker(['info', '--format', '{{.DockerRootDir}}'])).stdout;
    expect(existsSync(dataRoot)).toBe(true);
    await daemon.stop();
    expect(existsSync(dataRoot)).toBe(false);
  });
});
