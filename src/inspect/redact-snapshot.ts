import { redactRecord, redactText } from './redact-secrets.js';
import type { Snapshot } from './snapshot.js';

/** Process arguments, pod labels and annotations and warnings with secret values hidden. */
export function redactSnapshot(snapshot: Snapshot): Snapshot {
  return {
    ...snapshot,
    nodes: snapshot.nodes.map((n) => ({ ...n, processes: n.processes.map((p) => ({ ...p, args: redactText(p.args) })) })),
    kubernetes: {
      ...snapshot.kubernetes,
      pods: snapshot.kubernetes.pods.map((p) => ({ ...p, labels: redactRecord(p.labels), annotations: redactRecord(p.annotations) })),
    },
    warnings: snapshot.warnings.map(redactText),
  };
}
