import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { redactEnvValue, redactJson } from '../inspect/redact-secrets.js';

/**
 * A pod as the page shows it on a click: without managedFields (noise), env values hidden unless
 * harmless (as inspect hides them in crictl output), then every string through redactJson.
 */
export function redactPod(pod: V1Pod): unknown {
  const { managedFields: _managed, ...metadata } = pod.metadata ?? {};
  const env = (c: V1Container): V1Container => ({
    ...c,
    ...(c.env ? { env: c.env.map((e) => (e.value === undefined ? e : { ...e, value: redactEnvValue(e.name, e.value) })) } : {}),
  });
  const spec = pod.spec
    ? { ...pod.spec, containers: pod.spec.containers.map(env), ...(pod.spec.initContainers ? { initContainers: pod.spec.initContainers.map(env) } : {}) }
    : undefined;
  return redactJson({ ...pod, metadata, ...(spec ? { spec } : {}) });
}
