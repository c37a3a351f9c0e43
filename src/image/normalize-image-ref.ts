/**
 * The fully qualified name containerd stores an image under (`kindlab/x:1` becomes
 * `docker.io/kindlab/x:1`, `busybox:1` becomes `docker.io/library/busybox:1`), as `ctr images
 * import` names what `docker save` wrote.
 */
export function normalizeImageRef(ref: string): string {
  const slash = ref.indexOf('/');
  const first = slash === -1 ? '' : ref.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (hasRegistry) return ref;
  return slash === -1 ? `docker.io/library/${ref}` : `docker.io/${ref}`;
}
