import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';
import { KindlabError } from '../common/kindlab-error.js';
import { LAB_COMPONENT_LABEL } from '../common/labels.js';
import { aptInstall } from './apt-install.js';
import type { HostFilesystem } from './host-filesystem.js';
import { buildProbeImageTar } from './probe-image-tar.js';

export const PROBE_IMAGE_REPOSITORY = 'kindlab/host-probe';
export const PROBE_COMPONENT = 'host-probe';
/** Where Debian's busybox-static puts its binary (with and without merged /usr). */
const BUSYBOX_PATHS = ['/bin/busybox', '/usr/bin/busybox'];

export interface ProbeImageOutcome {
  image: string;
  changes: string[];
}

/**
 * A one-binary image imported from a tarball built here, never pulled: no registry is reachable.
 * Tagged by the busybox hash, so it is imported once per busybox build.
 */
export async function ensureProbeImage(runner: CommandRunner, fs: HostFilesystem, workDir: string): Promise<ProbeImageOutcome> {
  const changes: string[] = [];
  let busybox = await readBusybox(fs);
  if (!busybox) {
    try {
      await aptInstall(runner, ['busybox-static']);
    } catch (error) {
      throw new KindlabError("failed to install Debian's busybox-static for the privileged probe image", { cause: error });
    }
    changes.push("installed Debian's busybox-static (the probe image's only binary)");
    busybox = await readBusybox(fs);
    if (!busybox) throw new KindlabError('failed to find /bin/busybox after installing busybox-static');
  }
  const image = `${PROBE_IMAGE_REPOSITORY}:${createHash('sha256').update(busybox).digest('hex').slice(0, 12)}`;
  const docker = defaultDockerCli(runner);
  if (await docker.imageExists(image)) return { image, changes };
  const tarPath = join(workDir, 'host-probe.tar');
  await fs.writeBytes(tarPath, buildProbeImageTar(busybox));
  await docker.run(['import', '--change', 'ENTRYPOINT ["/bin/busybox"]', '--change', `LABEL ${LAB_COMPONENT_LABEL}=${PROBE_COMPONENT}`, tarPath, image]);
  changes.push(`imported the probe image ${image} from a local tarball`);
  return { image, changes };
}

async function readBusybox(fs: HostFilesystem): Promise<Buffer | undefined> {
  for (const path of BUSYBOX_PATHS) {
    const bytes = await fs.readBytes(path);
    if (bytes) return bytes;
  }
  return undefined;
}
