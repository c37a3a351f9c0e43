/**
 * A container's waiting reasons that will not clear by themselves: the image is not on the node and
 * cannot be pulled, or the runtime cannot create the container. A wait for a pod stops on these.
 */
export const POD_START_FAILURES: ReadonlySet<string> = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
]);
