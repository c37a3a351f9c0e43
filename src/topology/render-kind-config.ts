import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { KindlabError } from '../common/kindlab-error.js';
import { LAB_ETCD_MODE_LABEL, LAB_LABEL, LAB_TOPOLOGY_LABEL } from '../common/labels.js';
import { projectRoot } from '../common/paths.js';
import type { KindClusterConfig, KindNode } from './kind-config.js';
import type { TopologyKind, TopologySpec } from './topology-spec.js';
import { validateJsonSchema, type JsonSchema } from './validate-json-schema.js';

export interface RenderOptions {
  /** Required with `etcd: external`: the endpoint kubeadm points the apiservers at. */
  externalEtcdEndpoint?: string;
  /** Where templates/ lives; tests point it at the checkout. */
  templatesDir?: string;
}

export interface RenderedKindConfig {
  config: KindClusterConfig;
  /** Exactly what goes to `kind create cluster --config -` on stdin. */
  yaml: string;
  template: string;
}

type RenderSpec = Pick<TopologySpec, 'kind' | 'name' | 'controlPlanes' | 'workers' | 'etcd' | 'ports'>;

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
  const controlPlane = prototype(base, 'control-plane', template);
  const nodes: KindNode[] = [];
  for (let i = 0; i < spec.controlPlanes; i++) {
    nodes.push({
      ...structuredClone(controlPlane),
      labels: { ...controlPlane.labels, ...labels },
      ...(i === 0 && spec.ports.length > 0
        ? { extraPortMappings: spec.ports.map((p) => ({ containerPort: p.containerPort, hostPort: p.hostPort, protocol: p.protocol })) }
        : {}),
    });
  }
  if (spec.workers > 0) {
    const worker = prototype(base, 'worker', template);
    for (let i = 0; i < spec.workers; i++) nodes.push({ ...structuredClone(worker), labels: { ...worker.labels, ...labels } });
  }

  const patches = [...(base.kubeadmConfigPatches ?? [])];
  if (spec.etcd === 'external') {
    if (!options.externalEtcdEndpoint) throw new KindlabError('failed to render kind config: external etcd needs its endpoint');
    patches.push(renderExternalEtcdPatch(dir, options.externalEtcdEndpoint));
  }

  const config: KindClusterConfig = {
    ...base,
    name: spec.name,
    ...(patches.length > 0 ? { kubeadmConfigPatches: patches } : {}),
    nodes,
  };
  checkKindConfig(config, dir);

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
    etcd: { external: { endpoints: string[] } };
  };
  patch.etcd.external.endpoints = [endpoint];
  return dump(patch, { lineWidth: -1 });
}

export function checkKindConfig(config: KindClusterConfig, dir: string = templatesDir()): void {
  const schema = JSON.parse(readFileSync(join(dir, 'kind-config.schema.json'), 'utf8')) as JsonSchema;
  const errors = validateJsonSchema(config, schema);
  if (!config.nodes.some((n) => n.role === 'control-plane')) errors.push('$.nodes: needs at least one control-plane node');
  if (errors.length > 0) {
    throw new KindlabError(`failed to validate the rendered kind config:\n  ${errors.join('\n  ')}`);
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
