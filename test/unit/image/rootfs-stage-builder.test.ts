import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBuildLog } from '../../../src/image/build-log.js';
import { buildPaths } from '../../../src/image/build-paths.js';
import type { RootfsStage } from '../../../src/image/build-stages.js';
import { buildRootfsStage, parsePackageList } from '../../../src/image/rootfs-stage-builder.js';
import { FakeRunner } from '../support/fake-runner.js';

const stage: RootfsStage = {
  kind: 'rootfs',
  name: 'base',
  title: 'base',
  ref: 'kindlab/base:bookworm',
  suite: 'bookworm',
  packagesFile: 'base/packages.txt',
  overlayDir: 'base/rootfs',
  finalizeScript: 'base/finalize.sh',
  importChanges: ['ENV container=docker'],
};

describe('buildRootfsStage', () => {
  it("debootstraps from this machine's apt mirror, overlays the recipe tree, finalizes and imports with the hash label", async () => {
    const root = await mkdtemp(join(tmpdir(), 'kindlab-rootfs-'));
    const imagesDir = join(root, 'images');
    const aptDir = join(root, 'apt');
    await mkdir(join(imagesDir, 'base'), { recursive: true });
    await writeFile(join(imagesDir, 'base', 'packages.txt'), '# comment\nsystemd\n\niptables  # inline\n');
    await mkdir(join(aptDir, 'sources.list.d'), { recursive: true });
    await writeFile(join(aptDir, 'sources.list.d', 'debian.sources'), 'Types: deb\nURIs: http://mirror.invalid/debian\nSuites: bookworm\nComponents: main\n');
    const paths = buildPaths(join(root, 'home'));
    const runner = new FakeRunner();
    const ctx = { runner, imagesDir, paths, stages: [stage], hashes: new Map([['base', 'feedbeef']]), log: openBuildLog(join(root, 'log')), runId: 'run1' };

    await buildRootfsStage(stage, ctx, aptDir);

    const work = paths.rootfsWorkDir('base');
    const rootfs = join(work, 'rootfs');
    const lines = runner.lines((c) => c.command !== 'umount');
    expect(lines).toEqual([
      `rm -rf --one-file-system ${work}`,
      'debootstrap --version',
      'jq --version',
      `debootstrap --variant=minbase --include=systemd,iptables --cache-dir=${paths.aptCache()} bookworm ${rootfs} http://mirror.invalid/debian`,
      `cp -a ${join(imagesDir, 'base/rootfs')}/. ${rootfs}/`,
      `bash ${join(imagesDir, 'base/finalize.sh')} ${rootfs}`,
      `tar --numeric-owner --xattrs -C ${rootfs} -cf ${join(work, 'rootfs.tar')} .`,
      `docker import --change ENV container=docker --change LABEL dev.kindlab.recipe-hash=feedbeef ${join(work, 'rootfs.tar')} kindlab/base:bookworm`,
      `rm -rf --one-file-system ${work}`,
    ]);
  });

  it('reads package lists with comments and blank lines', () => {
    expect(parsePackageList('a\n# b\n\n c # d\n')).toEqual(['a', 'c']);
  });
});
