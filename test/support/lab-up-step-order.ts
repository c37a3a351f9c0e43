/**
 * The steps of a `lab up` with external etcd, in the order they finish (the stacked topologies skip
 * external-etcd). Written out here rather than read from create-lab-steps.ts, so a reordered or lost
 * step fails both the unit test of createLab and the e2e check of a real `lab up`.
 */
export const LAB_UP_STEP_ORDER = [
  'preflight',
  'image',
  'claim',
  'render',
  'addresses',
  'record',
  'external-etcd',
  'kind-create',
  'nodes-ready',
  'pods-running',
  'kubeconfig',
] as const;
