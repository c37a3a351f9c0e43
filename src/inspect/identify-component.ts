/**
 * Names what a process is from its command, never from its position or pid.
 * The key is the basename of the program (first word of args); the value is the component id
 * used by templates/annotations/*.yaml.
 */
const PROGRAMS: Record<string, string> = {
  systemd: 'systemd',
  init: 'systemd',
  'systemd-journald': 'journald',
  containerd: 'containerd',
  dockerd: 'dockerd',
  kubelet: 'kubelet',
  'kube-proxy': 'kube-proxy',
  kindnetd: 'kindnetd',
  flanneld: 'flanneld',
  etcd: 'etcd',
  'kube-apiserver': 'kube-apiserver',
  'kube-scheduler': 'kube-scheduler',
  'kube-controller-manager': 'kube-controller-manager',
  coredns: 'coredns',
  'local-path-provisioner': 'local-path-provisioner',
  haproxy: 'haproxy',
  envoy: 'envoy',
  pause: 'pause',
};

const SHIM = /^containerd-shim(-runc-v2|-runc-v1)?$/;

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash']);

export function programName(args: string): string {
  const words = args.trimStart().split(/\s+/);
  const base = basename(words[0] ?? '');
  // A script run by a shell (`/bin/sh /usr/local/bin/start --flag`) is named after the script.
  const script = words[1];
  if (SHELLS.has(base) && script && !script.startsWith('-')) return basename(script);
  return base;
}

function basename(word: string): string {
  // Some programs rewrite argv[0] ("etcd: ..."); strip a trailing colon.
  return word.slice(word.lastIndexOf('/') + 1).replace(/:$/, '');
}

export function isShim(args: string): boolean {
  return SHIM.test(programName(args));
}

export function componentOf(args: string): string | undefined {
  return PROGRAMS[programName(args)];
}

/** The sandbox (or, without shim grouping, container) id a shim serves: the value of its `-id` flag. */
export function shimId(args: string): string | undefined {
  const words = args.split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-id' || word === '--id') return words[i + 1];
    const eq = /^--?id=(.+)$/.exec(word);
    if (eq) return eq[1];
  }
  return undefined;
}
