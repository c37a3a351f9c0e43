import { describe, expect, it } from 'vitest';
import { nodeImageCandidates, resolveNodeImage } from '../../../src/cluster/resolve-node-image.js';
import { OFFLINE_NODE_IMAGE, PUBLISHED_NODE_IMAGE } from '../../../src/image/image-refs.js';
import { FakeDocker } from '../support/fake-docker.js';

const none = { image: undefined, kubernetesVersion: undefined };

describe('resolveNodeImage', () => {
  it('--image wins when present', async () => {
    const docker = new FakeDocker();
    docker.images.add('my/node:x');
    docker.images.add(OFFLINE_NODE_IMAGE);
    expect(await resolveNodeImage(docker, { ...none, image: 'my/node:x' })).toEqual({ ref: 'my/node:x', source: 'flag', pulled: false });
  });

  it('prefers the offline image, then the published one', async () => {
    const docker = new FakeDocker();
    docker.images.add(PUBLISHED_NODE_IMAGE);
    expect(await resolveNodeImage(docker, none)).toMatchObject({ ref: PUBLISHED_NODE_IMAGE, source: 'published' });
    docker.images.add(OFFLINE_NODE_IMAGE);
    expect(await resolveNodeImage(docker, none)).toMatchObject({ ref: OFFLINE_NODE_IMAGE, source: 'offline' });
    expect(docker.log).toEqual([]);
  });

  it('--kubernetes-version picks kindlab/node:<v> offline or kindest/node:<v> published', async () => {
    expect(nodeImageCandidates({ ...none, kubernetesVersion: 'v1.33.1' })).toEqual({ offline: 'kindlab/node:v1.33.1', published: 'kindest/node:v1.33.1' });
    const docker = new FakeDocker();
    docker.images.add('kindest/node:v1.33.1');
    expect(await resolveNodeImage(docker, { ...none, kubernetesVersion: 'v1.33.1' })).toMatchObject({ ref: 'kindest/node:v1.33.1', source: 'published' });
  });

  it('offline with no image: tries the published one once, then a usage error telling to run lab image build', async () => {
    const docker = new FakeDocker();
    await expect(resolveNodeImage(docker, none)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining(`${OFFLINE_NODE_IMAGE} is not built`),
      hint: expect.stringContaining('lab image build'),
    });
    expect(docker.log).toEqual([`pull ${PUBLISHED_NODE_IMAGE}`]);
  });

  it('an absent --image that cannot be pulled is a usage error', async () => {
    await expect(resolveNodeImage(new FakeDocker(), { ...none, image: 'nope:1' })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('--image nope:1'),
    });
  });
});
