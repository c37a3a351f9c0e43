import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { KindlabError } from '../common/kindlab-error.js';
import { LAB_ETCD_MODE_LABEL, LAB_LABEL, LAB_TOPOLOGY_LABEL } from '../common/labels.js';
import { projectRoot } from '../common/paths.js';
import { schemaErrors, schemaFile } from '../common/validate-with-schema.js';
import { ETCD_PKI_FILES, KUBEADM_PKI_DIR } from '../cluster/external-etcd-pki.js';
import type { KindClusterConfig, KindMount, KindNode } from './kind-config.js';
import { profileSettings } from './profile-patches.js';
import type { TopologyKind, TopologySpec } from './topology-spec.js';

export interface ExternalEtcdRender {
  /** The https endpoint kubeadm points the apiservers at. */
  endpoint: string;
  /** The lab's etcd PKI directory on the Docker host (kubeadm's layout), bind-mounted into the control planes. */
  pkiHostDir: string;
}

export interface RenderOptions {
  /** Required with `etcd: external`. */
  externalEtcd?: ExternalEtcdRender;
  /** Where templates/ lives; tests point it at the checkout. */
  templatesDir?: string;
}

export interface RenderedKindConfig {
  config: KindClusterConfig;
  /** Exactly what goes to `kind create cluster --config -` on stdin. */
  yaml: string;
  template: string;
}

type RenderSpec = Pick<TopologySpec, 'kind' | 'name' | 'controlPlanes' | 'workers' | 'etcd' | 'ports' | 'profile'>;

export function templatesDir(): string {
  return join(projectRoot(), 'templates');
}

export function templateFileFor(kind: TopologyKind): string {
  return `kind-${kind}.yaml`;
}

/** Typed spec -> kind config: load the topology's template, fill it, check it, dump it, parse it back. */
export function renderKindConfig(spec: RenderSpec, options: RenderOptions = {}): RenderedKindConfig {
  const dir = options.templatesDir ?? templatesDir();
  const template = templateFileFor(spec.kind);
  const base = loadYamlFile(join(dir, template)) as KindClusterConfig;

  const labels: Record<string, string> = {
    [LAB_LABEL]: spec.name,
    [LAB_TOPOLOGY_LABEL]: spec.kind,
    [LAB_ETCD_MODE_LABEL]: spec.etcd,
  };
  if (spec.etcd === 'external' && !options.externalEtcd) {
    throw new KindlabError('failed to render kind config: external etcd needs its endpoint and certificate directory');
  }
  const etcd = spec.etcd === 'external' ? options.externalEtcd : undefined;
  const controlPlane = prototype(base, 'control-plane', template);
  const nodes: KindNode[] = [];
  for (let i = 0; i < spec.controlPlanes; i++) {
    const mounts = etcd ? externalEtcdMounts(etcd.pkiHostDir, i === 0) : [];
    nodes.push({
      ...structuredClone(controlPlane),
      labels: { ...controlPlane.labels, ...labels },
      ...(i === 0 && spec.ports.length > 0
        ? { extraPortMappings: spec.ports.map((p) => ({ containerPort: p.containerPort, hostPort: p.hostPort, protocol: p.protocol })) }
        : {}),
      ...(mounts.length > 0 ? { extraMounts: mounts } : {}),
    });
  }
  if (spec.workers > 0) {
    const worker = prototype(base, 'worker', template);
    for (let i = 0; i < spec.workers; i++) nodes.push({ ...structuredClone(worker), labels: { ...worker.labels, ...labels } });
  }

  const patches = [...(base.kubeadmConfigPatches ?? [])];
  if (etcd) patches.push(renderExternalEtcdPatch(dir, etcd.endpoint));
  // --profile: each setting is one merge patch, named in templates/profiles/<profile>.yaml.
  patches.push(...profileSettings(dir, spec).map((setting) => setting.patch));

  const config: KindClusterConfig = {
    ...base,
    name: spec.name,
    ...(patches.length > 0 ? { kubeadmConfigPatches: patches } : {}),
    nodes,
  };
  checkKindConfig(config);

  const yaml = `# rendered by kindlab from templates/${template}\n${dump(config, { lineWidth: -1, noRefs: true, sortKeys: false })}`;
  // Parse our own output back: a dump that does not round-trip (quoting, block scalars) must never reach kind.
  const parsed = load(yaml);
  if (!isDeepStrictEqual(parsed, config)) {
    throw new KindlabError(`failed to render kind config: ${template} does not survive a YAML round trip`);
  }
  return { config, yaml, template };
}

/** The ClusterConfiguration merge patch as the string kind expects in kubeadmConfigPatches. */
export function renderExternalEtcdPatch(dir: string, endpoint: string): string {
  const patch = loadYamlFile(join(dir, 'patches', 'external-etcd.yaml')) as {
    kind: string;
    etcd: { external: { endpoints: string[]; caFile: string; certFile: string; keyFile: string } };
  };
  patch.etcd.external.endpoints = [endpoint];
  patch.etcd.external.caFile = `${KUBEADM_PKI_DIR}/${ETCD_PKI_FILES.caCert}`;
  patch.etcd.external.certFile = `${KUBEADM_PKI_DIR}/${ETCD_PKI_FILES.clientCert}`;
  patch.etcd.external.keyFile = `${KUBEADM_PKI_DIR}/${ETCD_PKI_FILES.clientKey}`;
  return dump(patch, { lineWidth: -1 });
}

/*
 * Which etcd PKI files a control plane gets, read-only, at kubeadm's paths.
 * Every control plane: the apiserver-etcd-client pair its apiserver presents to etcd.
 * The first one also: the etcd CA pair. kind v0.30.0's init action copies /etc/kubernetes/pki/etcd/ca.crt
 * and ca.key from the first control plane to every other one before they join, external etcd or
 * not (pkg/cluster/internal/create/actions/kubeadminit/init.go), and fails without them; the others
 * must NOT have them mounted, since kind writes those two paths there. kubeadm itself reads only
 * etcd/ca.crt (etcd.external.caFile) and skips its etcd certificate phases with external etcd.
 */
function externalEtcdMounts(pkiHostDir: string, first: boolean): KindMount[] {
  const files = [ETCD_PKI_FILES.clientCert, ETCD_PKI_FILES.clientKey, ...(first ? [ETCD_PKI_FILES.caCert, ETCD_PKI_FILES.caKey] : [])];
  return files.map((file) => ({ hostPath: `${pkiHostDir}/${file}`, containerPath: `${KUBEADM_PKI_DIR}/${file}`, readOnly: true }));
}

/** Our own output against templates/schemas/kind-config.schema.json: a failure is kindlab's bug (exit 1), not the user's. */
export function checkKindConfig(config: KindClusterConfig): void {
  const errors = schemaErrors(config, 'kind-config');
  if (!config.nodes?.some((n) => n.role === 'control-plane')) errors.push('/nodes must have at least one control-plane node');
  if (errors.length > 0) {
    throw new KindlabError(`failed to validate the rendered kind config: ${errors.join('; ')}`, { hint: `it must match ${schemaFile('kind-config')}` });
  }
}

function prototype(base: KindClusterConfig, role: KindNode['role'], template: string): KindNode {
  const found = base.nodes?.find((n) => n.role === role);
  if (!found) throw new KindlabError(`failed to render kind config: templates/${template} has no ${role} node prototype`);
  return found;
}

function loadYamlFile(path: string): unknown {
  try {
    return load(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new KindlabError(`failed to load template ${path}`, { cause: error });
  }
}
