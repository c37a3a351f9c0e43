import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bad inputs for every command, flag and file of `lab` (issue 9, "Done when"): each must end in one
 * `error:` line naming the field, a `hint:` line, exit 2 (1 where the environment is at fault), no
 * stack trace, and nothing created. Run in-process by test/unit/cli/bad-inputs.test.ts and against
 * the real Docker daemon by test/e2e/bad-inputs.test.ts.
 */
/** A host cluster's kubeconfig for `--host-cluster` rows that stop before it is used (nothing listens there). */
const HOST_KUBECONFIG =
  'apiVersion: v1\nkind: Config\nclusters: [{name: h, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: h, user: {}}]\ncontexts: [{name: kind-host, context: {cluster: h, user: h}}]\ncurrent-context: kind-host\n';

export interface BadInput {
  /** Shown in the test name and the report table. */
  what: string;
  /** `dir` is a fresh temporary directory holding `files`. */
  args: (dir: string) => string[];
  files?: Record<string, string>;
  /** Extra environment; `dir` as for args. */
  env?: (dir: string) => Record<string, string>;
  exitCode: 1 | 2;
  /** Must match the `error:` line. */
  error: RegExp;
  /** Lab names the command could have created resources for (default: kindlab's default name). */
  labs?: string[];
  /** A check after the run, e.g. that a file outside kindlab's directories still exists. */
  after?: (dir: string) => void;
  /**
   * Needs a user that file permissions apply to (root may write anywhere): `dir/ro` is made mode
   * 0555, and the e2e test runs the row as uid 65534 when it runs as root; in-process it only runs
   * when the tests do not run as root.
   */
  unprivileged?: boolean;
}

const SNAPSHOT = readFileSync(fileURLToPath(new URL('../fixtures/snapshot-single.json', import.meta.url)), 'utf8');
const withoutNodes = (): string => {
  const { nodes: _nodes, ...rest } = JSON.parse(SNAPSHOT) as Record<string, unknown>;
  return JSON.stringify(rest);
};
const UNREACHABLE_DOCKER = { DOCKER_HOST: 'unix:///nonexistent.sock' };
const DOCKER_ERROR = /^error: failed to reach the Docker daemon at unix:\/\/\/nonexistent\.sock/m;

export const BAD_INPUTS: BadInput[] = [
  // lab up: topology and counts
  { what: 'up: unknown topology', args: () => ['up', 'mesh'], exitCode: 2, error: /unknown topology "mesh"/ },
  { what: 'up: --workers not a number', args: () => ['up', 'multi', '--workers', 'abc'], exitCode: 2, error: /invalid --workers "abc"/ },
  { what: 'up: --workers negative', args: () => ['up', 'multi', '--workers', '-1'], exitCode: 2, error: /invalid --workers -1/ },
  { what: 'up: --workers too many', args: () => ['up', 'multi', '--workers', '21'], exitCode: 2, error: /invalid --workers 21/ },
  { what: 'up: single with workers', args: () => ['up', 'single', '--workers', '2'], exitCode: 2, error: /single .*no workers \(got --workers 2\)/ },
  { what: 'up: multi with 0 workers', args: () => ['up', 'multi', '--workers', '0'], exitCode: 2, error: /multi needs at least one worker/ },
  { what: 'up: ha with even --control-planes', args: () => ['up', 'ha', '--control-planes', '4'], exitCode: 2, error: /invalid --control-planes 4/ },
  {
    what: 'up: multi with 3 control planes',
    args: () => ['up', 'multi', '--control-planes', '3'],
    exitCode: 2,
    error: /exactly one control plane \(got --control-planes 3\)/,
  },
  { what: 'up: unknown --etcd', args: () => ['up', '--etcd', 'embedded'], exitCode: 2, error: /unknown --etcd "embedded"/ },
  { what: 'up: bad --wait duration', args: () => ['up', '--wait', '10 parsecs'], exitCode: 2, error: /invalid --wait "10 parsecs"/ },
  { what: 'up: negative --wait', args: () => ['up', '--wait', '-5m'], exitCode: 2, error: /invalid --wait "-5m"/ },
  { what: 'up: --wait with an unknown unit', args: () => ['up', '--wait', '1m30x'], exitCode: 2, error: /invalid --wait "1m30x": expected a duration/ },
  { what: 'up: unknown -o', args: () => ['up', '-o', 'yaml'], exitCode: 2, error: /invalid --output "yaml"/ },
  { what: 'up: bad --kubernetes-version', args: () => ['up', '--kubernetes-version', '1.34'], exitCode: 2, error: /invalid --kubernetes-version "1\.34"/ },
  {
    what: 'up: --image with --kubernetes-version',
    args: () => ['up', '--image', 'x:y', '--kubernetes-version', 'v1.34.4'],
    exitCode: 2,
    error: /--image and --kubernetes-version/,
  },
  { what: 'up: --port without container port', args: () => ['up', '--port', '80'], exitCode: 2, error: /invalid --port "80"/ },
  { what: 'up: --port out of range', args: () => ['up', '--port', '70000:80'], exitCode: 2, error: /invalid --port "70000:80"/ },
  { what: 'up: unknown flag', args: () => ['up', '--bogus'], exitCode: 2, error: /unknown option '--bogus'/ },
  // lab up: names
  {
    what: 'up: --name with a space and capitals',
    args: () => ['up', '--name', 'Bad Name'],
    exitCode: 2,
    error: /invalid lab name "Bad Name"/,
    labs: ['Bad Name'],
  },
  {
    what: 'up: --name path traversal',
    args: () => ['up', '--name', '../../etc'],
    exitCode: 2,
    error: /invalid lab name "\.\.\/\.\.\/etc"/,
    labs: ['../../etc'],
  },
  {
    what: 'up: --name too long',
    args: () => ['up', '--name', 'a'.repeat(41)],
    exitCode: 2,
    error: /invalid lab name "a{41}": it is 41 characters long/,
    labs: ['a'.repeat(41)],
  },
  { what: 'up: --name with a dot', args: () => ['up', '--name', 'a.b'], exitCode: 2, error: /invalid lab name "a\.b"/, labs: ['a.b'] },
  // lab stop / lab start (an unknown lab needs the daemon: test/unit/cluster/stop-start-lab.test.ts)
  { what: 'start: --wait 0', args: () => ['start', 'badin-nolab', '--wait', '0'], exitCode: 2, error: /invalid --wait "0": must be longer than 0/ },
  // lab up: lab files
  { what: 'up: missing --file', args: (d) => ['up', '-f', `${d}/missing.yaml`], exitCode: 2, error: /failed to read lab file .*missing\.yaml/ },
  {
    what: 'up: lab file is not a mapping',
    args: (d) => ['up', '-f', `${d}/lab.yaml`],
    files: { 'lab.yaml': '- single\n' },
    exitCode: 2,
    error: /lab\.yaml: \/ must be a mapping \(got a list\)/,
  },
  {
    what: 'up: lab file is not YAML',
    args: (d) => ['up', '-f', `${d}/lab.yaml`],
    files: { 'lab.yaml': 'topology: [single\n' },
    exitCode: 2,
    error: /lab\.yaml: not valid YAML/,
  },
  {
    what: 'up: lab file unknown field',
    args: (d) => ['up', '-f', `${d}/lab.yaml`],
    files: { 'lab.yaml': 'topology: single\nworkerz: 2\n' },
    exitCode: 2,
    error: /lab\.yaml: \/workerz is not a known field/,
  },
  {
    what: 'up: lab file port protocol 5',
    args: (d) => ['up', '-f', `${d}/lab.yaml`],
    files: { 'lab.yaml': 'ports: [{hostPort: 80, containerPort: 80, protocol: 5}]\n' },
    exitCode: 2,
    error: /lab\.yaml: \/ports\/0\/protocol must be one of TCP, UDP, SCTP, tcp, udp, sctp \(got 5\)/,
  },
  {
    what: 'up: lab file hostPort 0',
    args: (d) => ['up', '-f', `${d}/lab.yaml`],
    files: { 'lab.yaml': 'ports: [{hostPort: 0, containerPort: 80}]\n' },
    exitCode: 2,
    error: /lab\.yaml: \/ports\/0\/hostPort must be >= 1 \(got 0\)/,
  },
  {
    what: 'up: lab file port as a number',
    args: (d) => ['up', '-f', `${d}/lab.yaml`],
    files: { 'lab.yaml': 'ports: [8080]\n' },
    exitCode: 2,
    error: /lab\.yaml: \/ports\/0 must be a string or a mapping \(got 8080\)/,
  },
  {
    what: 'up: lab file workers a list',
    args: (d) => ['up', '-f', `${d}/lab.yaml`],
    files: { 'lab.yaml': 'topology: multi\nworkers: [1]\n' },
    exitCode: 2,
    error: /lab\.yaml: \/workers must be a whole number \(got a list\)/,
  },
  {
    what: 'up: lab file name traversal',
    args: (d) => ['up', '-f', `${d}/lab.yaml`],
    files: { 'lab.yaml': 'name: ../victim\n' },
    exitCode: 2,
    error: /invalid lab name "\.\.\/victim"/,
    labs: ['../victim'],
  },
  // lab up: kubeconfig target and KINDLAB_HOME, checked before anything is created
  {
    what: 'up: --kubeconfig is a directory',
    args: (d) => ['up', '--name', 'badin-kc', '--kubeconfig', d],
    exitCode: 2,
    error: /invalid kubeconfig target ".*": it is a directory/,
    labs: ['badin-kc'],
  },
  {
    what: 'up: --kubeconfig under a regular file',
    args: (d) => ['up', '--name', 'badin-kc', '--kubeconfig', `${d}/file/config`],
    files: { file: 'x' },
    exitCode: 2,
    error: /invalid kubeconfig target ".*file\/config": ENOTDIR/,
    labs: ['badin-kc'],
  },
  {
    what: 'up: stale <kubeconfig>.lock',
    args: (d) => ['up', '--name', 'badin-kc', '--kubeconfig', `${d}/config`],
    files: { config: '', 'config.lock': '' },
    exitCode: 1,
    error: /kubeconfig .*config is locked: .*config\.lock exists/,
    labs: ['badin-kc'],
  },
  {
    what: 'up: KINDLAB_HOME under a regular file',
    args: () => ['up', '--name', 'badin-home'],
    files: { file: 'x' },
    env: (d) => ({ KINDLAB_HOME: `${d}/file/home` }),
    exitCode: 2,
    error: /invalid KINDLAB_HOME ".*file\/home": ENOTDIR/,
    labs: ['badin-home'],
  },
  {
    what: 'up: --kubeconfig in a read-only directory',
    args: (d) => ['up', '--name', 'badin-kc', '--kubeconfig', `${d}/ro/config`],
    unprivileged: true,
    exitCode: 2,
    error: /invalid kubeconfig target ".*ro\/config": directory .*ro is not writable/,
    labs: ['badin-kc'],
  },
  {
    what: 'up: read-only KINDLAB_HOME',
    args: () => ['up', '--name', 'badin-home'],
    env: (d) => ({ KINDLAB_HOME: `${d}/ro` }),
    unprivileged: true,
    exitCode: 2,
    error: /invalid KINDLAB_HOME ".*ro": EACCES/,
    labs: ['badin-home'],
  },
  // lab down / status
  {
    what: 'down: path traversal name keeps /tmp files',
    args: (d) => ['down', `../../../../../../..${d}/victim`],
    files: { 'victim.lock': 'not a kindlab lock' },
    exitCode: 2,
    error: /invalid lab name "\.\.\/.*victim"/,
    labs: [],
    after: (d) => void readFileSync(`${d}/victim.lock`),
  },
  { what: 'down: name with a space', args: () => ['down', 'Bad Name'], exitCode: 2, error: /invalid lab name "Bad Name"/, labs: [] },
  { what: 'down: a name and --all', args: () => ['down', 'x', '--all'], exitCode: 2, error: /give a lab name or --all, not both/, labs: [] },
  { what: 'down: unknown --output', args: () => ['down', 'x', '--output', 'yaml'], exitCode: 2, error: /invalid --output "yaml"/, labs: [] },
  { what: 'list: unknown -o', args: () => ['list', '-o', 'yaml'], exitCode: 2, error: /invalid --output "yaml"/, labs: [] },
  { what: 'status: unknown -o', args: () => ['status', '-o', 'xml'], exitCode: 2, error: /invalid --output "xml"/, labs: [] },
  {
    what: 'down: KINDLAB_HOME under a regular file',
    args: () => ['down', 'badin-home'],
    files: { file: 'x' },
    env: (d) => ({ KINDLAB_HOME: `${d}/file/home` }),
    exitCode: 2,
    error: /invalid KINDLAB_HOME/,
    labs: [],
  },
  { what: 'status: capital letters', args: () => ['status', 'UPPER'], exitCode: 2, error: /invalid lab name "UPPER"/, labs: [] },
  // lab inspect
  { what: 'inspect: name with a slash', args: () => ['inspect', 'a/b'], exitCode: 2, error: /invalid lab name "a\/b"/, labs: [] },
  {
    what: 'inspect: --out in a missing directory',
    args: (d) => ['inspect', '--out', `${d}/missing/s.json`],
    exitCode: 2,
    error: /invalid --out ".*missing\/s\.json": directory .* does not exist/,
    labs: [],
  },
  {
    what: 'inspect: --raw-dir is a file',
    args: (d) => ['inspect', '--raw-dir', `${d}/file`],
    files: { file: 'x' },
    exitCode: 2,
    error: /invalid --raw-dir ".*file": it exists and is not a directory/,
    labs: [],
  },
  {
    what: 'inspect: missing --kubeconfig',
    args: (d) => ['inspect', '--kubeconfig', `${d}/missing`],
    exitCode: 2,
    error: /failed to read --kubeconfig file .*missing: ENOENT/,
    labs: [],
  },
  { what: 'inspect: unknown -o', args: () => ['inspect', '-o', 'yaml'], exitCode: 2, error: /invalid --output "yaml"/, labs: [] },
  {
    what: 'inspect: --context without --kubeconfig',
    args: () => ['inspect', '--context', 'kind-x'],
    exitCode: 2,
    error: /--context needs --kubeconfig/,
    labs: [],
  },
  {
    what: 'inspect: --context not in --kubeconfig',
    args: (d) => ['inspect', '--kubeconfig', `${d}/config`, '--context', 'kind-x'],
    files: { config: 'apiVersion: v1\nkind: Config\ncontexts: [{name: kind-a, context: {cluster: kind-a, user: kind-a}}]\ncurrent-context: kind-a\n' },
    exitCode: 2,
    error: /invalid --context "kind-x": no context "kind-x" in it/,
    labs: [],
  },
  { what: 'inspect: Docker refuses connections', args: () => ['inspect'], env: () => UNREACHABLE_DOCKER, exitCode: 1, error: DOCKER_ERROR, labs: [] },
  // lab report
  { what: 'report: unknown --format', args: () => ['report', '--format', 'pdf'], exitCode: 2, error: /invalid --format "pdf"/, labs: [] },
  { what: 'report: unknown -o', args: () => ['report', '-o', 'pdf'], exitCode: 2, error: /invalid --output "pdf"/, labs: [] },
  {
    what: 'report: --out in a missing directory',
    args: () => ['report', '--out', '/nonexistent/r.html'],
    exitCode: 2,
    error: /invalid --out "\/nonexistent\/r\.html": directory \/nonexistent does not exist/,
    labs: [],
  },
  {
    what: 'report: --out in a read-only directory',
    args: (d) => ['report', '--out', `${d}/ro/r.html`],
    unprivileged: true,
    exitCode: 2,
    error: /invalid --out ".*ro\/r\.html": directory .*ro is not writable/,
    labs: [],
  },
  { what: 'report: --out is a directory', args: (d) => ['report', '--out', d], exitCode: 2, error: /invalid --out ".*": it is a directory/, labs: [] },
  {
    what: 'report: missing --from',
    args: (d) => ['report', '--from', `${d}/missing.json`],
    exitCode: 2,
    error: /failed to read snapshot file .*missing\.json: ENOENT/,
    labs: [],
  },
  {
    what: 'report: --from not JSON',
    args: (d) => ['report', '--from', `${d}/s.json`],
    files: { 's.json': 'nodes: []\n' },
    exitCode: 2,
    error: /s\.json: not valid JSON/,
    labs: [],
  },
  {
    what: 'report: --from other schemaVersion',
    args: (d) => ['report', '--from', `${d}/s.json`],
    files: { 's.json': '{"schemaVersion":"kindlab.dev/snapshot/v0"}' },
    exitCode: 2,
    error: /s\.json: \/schemaVersion is "kindlab\.dev\/snapshot\/v0"/,
    labs: [],
  },
  {
    what: 'report: --from snapshot without nodes',
    args: (d) => ['report', '--from', `${d}/s.json`],
    files: { 's.json': withoutNodes() },
    exitCode: 2,
    error: /s\.json: \/nodes is required/,
    labs: [],
  },
  {
    what: 'report: a name and --from',
    args: (d) => ['report', 'x', '--from', `${d}/s.json`],
    exitCode: 2,
    error: /either a cluster name or --from, not both/,
    labs: [],
  },
  { what: 'report: unknown --lang', args: () => ['report', '--lang', 'xx'], exitCode: 2, error: /no annotations for language xx/, labs: [] },
  { what: 'report: Docker refuses connections', args: () => ['report'], env: () => UNREACHABLE_DOCKER, exitCode: 1, error: DOCKER_ERROR, labs: [] },
  // lab verify
  { what: 'verify: unknown --format', args: () => ['verify', '--format', 'xml'], exitCode: 2, error: /invalid --format "xml"/, labs: [] },
  { what: 'verify: --probe-timeout 0', args: () => ['verify', '--probe-timeout', '0'], exitCode: 2, error: /invalid --probe-timeout "0"/, labs: [] },
  {
    what: 'verify: --probe-timeout with an unknown unit',
    args: () => ['verify', '--probe-timeout', '90sec'],
    exitCode: 2,
    error: /invalid --probe-timeout "90sec": expected a duration/,
    labs: [],
  },
  { what: 'verify: unknown -o', args: () => ['verify', '-o', 'xml'], exitCode: 2, error: /invalid --output "xml"/, labs: [] },
  {
    what: 'verify: --out in a missing directory',
    args: () => ['verify', '--out', '/nonexistent/v.txt'],
    exitCode: 2,
    error: /invalid --out "\/nonexistent\/v\.txt"/,
    labs: [],
  },
  {
    what: 'verify: --evidence-out is a directory',
    args: (d) => ['verify', '--evidence-out', d],
    exitCode: 2,
    error: /invalid --evidence-out ".*": it is a directory/,
    labs: [],
  },
  {
    what: 'verify: missing --expect file',
    args: (d) => ['verify', '--expect', `${d}/missing.yaml`],
    exitCode: 2,
    error: /failed to read expectation file .*missing\.yaml: ENOENT/,
    labs: [],
  },
  {
    what: 'verify: invalid expectation file',
    args: (d) => ['verify', '--expect', `${d}/e.yaml`],
    files: { 'e.yaml': 'apiVersion: kindlab.dev/v1\nworkerz: 2\n' },
    exitCode: 2,
    error: /e\.yaml: \/controlPlanes is required; \/workerz is not a known field .*; \/apiVersion must be kindlab\.dev\/v1alpha1 \(got "kindlab\.dev\/v1"\)$/,
    labs: [],
  },
  { what: 'verify: name with a space', args: () => ['verify', 'Bad Name'], exitCode: 2, error: /invalid lab name "Bad Name"/, labs: [] },
  { what: 'verify: Docker refuses connections', args: () => ['verify'], env: () => UNREACHABLE_DOCKER, exitCode: 1, error: DOCKER_ERROR, labs: [] },
  // lab tour
  { what: 'tour: --lab is a directory', args: (d) => ['tour', '--lab', d], exitCode: 2, error: /invalid --lab ".*": it is a directory/, labs: [] },
  { what: 'tour: unknown --lab', args: () => ['tour', '--lab', 'no-such-lab'], exitCode: 2, error: /invalid --lab "no-such-lab": no such lab/, labs: [] },
  {
    what: 'tour: invalid tour lab file',
    args: (d) => ['tour', '--lab', `${d}/t.yaml`],
    files: { 't.yaml': 'steps: 5\n' },
    exitCode: 2,
    error: /t\.yaml: \/name is required; \/title is required; \/chapters is required; \/steps is not a known field/,
    labs: [],
  },
  { what: 'tour: unknown --format', args: () => ['tour', '--format', 'pdf'], exitCode: 2, error: /invalid --format "pdf"/, labs: [] },
  { what: 'tour: bad --wait', args: () => ['tour', '--wait', 'soon'], exitCode: 2, error: /invalid --wait "soon"/, labs: [] },
  { what: 'tour: --wait 0', args: () => ['tour', '--wait', '0s'], exitCode: 2, error: /invalid --wait "0s": must be longer than 0/, labs: [] },
  { what: 'tour: unknown -o', args: () => ['tour', '-o', 'html'], exitCode: 2, error: /invalid --output "html"/, labs: [] },
  {
    what: 'tour: --out in a missing directory',
    args: () => ['tour', '--out', '/nonexistent/t.md'],
    exitCode: 2,
    error: /invalid --out "\/nonexistent\/t\.md"/,
    labs: [],
  },
  { what: 'tour: Docker refuses connections', args: () => ['tour'], env: () => UNREACHABLE_DOCKER, exitCode: 1, error: DOCKER_ERROR, labs: [] },
  // the rest
  { what: 'version: unknown --output', args: () => ['version', '--output', 'yaml'], exitCode: 2, error: /invalid --output "yaml"/, labs: [] },
  { what: 'completion: unknown shell', args: () => ['completion', 'tcsh'], exitCode: 2, error: /invalid shell "tcsh"/, labs: [] },
  { what: 'completion: no shell', args: () => ['completion'], exitCode: 2, error: /missing required argument 'shell'/, labs: [] },
  { what: 'image list: unknown -o', args: () => ['image', 'list', '-o', 'yaml'], exitCode: 2, error: /invalid --output "yaml"/, labs: [] },
  { what: 'host prepare: unknown -o', args: () => ['host', 'prepare', '-o', 'yaml'], exitCode: 2, error: /invalid --output "yaml"/, labs: [] },
  {
    what: 'image build: KINDLAB_HOME under a regular file',
    args: () => ['image', 'build'],
    files: { file: 'x' },
    env: (d) => ({ KINDLAB_HOME: `${d}/file/home` }),
    exitCode: 2,
    error: /invalid KINDLAB_HOME/,
    labs: [],
  },
  {
    what: 'host prepare: --nodes 0',
    args: () => ['host', 'prepare', '--nodes', '0'],
    exitCode: 2,
    error: /option '--nodes <count>' argument '0' is invalid/,
    labs: [],
  },
  // lab up --profile, suspend/resume, the warm pool (issue 11)
  { what: 'up: unknown --profile', args: () => ['up', '--profile', 'tiny'], exitCode: 2, error: /unknown --profile "tiny"/ },
  { what: 'capacity: unknown --profile', args: () => ['capacity', 'single', '--profile', 'tiny'], exitCode: 2, error: /unknown --profile "tiny"/, labs: [] },
  { what: 'suspend: invalid lab name', args: () => ['suspend', 'Bad_Name'], exitCode: 2, error: /invalid lab name "Bad_Name"/, labs: [] },
  { what: 'resume: bad --wait', args: () => ['resume', 'x', '--wait', 'soon'], exitCode: 2, error: /invalid --wait "soon"/, labs: [] },
  { what: 'pool fill: --size 0', args: () => ['pool', 'fill', '--size', '0'], exitCode: 2, error: /invalid --size "0"/, labs: [] },
  {
    what: 'up: --host-cluster file missing',
    args: (dir) => ['up', 'single', '--host-cluster', `${dir}/nope.kubeconfig`],
    exitCode: 2,
    error: /--host-cluster file/,
    labs: [],
  },
  {
    what: 'up: --host-context without --host-cluster',
    args: () => ['up', 'single', '--host-context', 'kind-x'],
    exitCode: 2,
    error: /--host-context needs --host-cluster/,
    labs: [],
  },
  {
    what: 'up: --host-cluster with a context it lacks',
    args: (dir) => ['up', 'single', '--host-cluster', `${dir}/host.kubeconfig`, '--host-context', 'kind-elsewhere'],
    files: { 'host.kubeconfig': HOST_KUBECONFIG },
    exitCode: 2,
    error: /invalid --host-context "kind-elsewhere": no context "kind-elsewhere" in it/,
    labs: [],
  },
  {
    what: 'up: --etcd external with --host-cluster',
    args: (dir) => ['up', 'multi', '--etcd', 'external', '--host-cluster', `${dir}/host.kubeconfig`],
    files: { 'host.kubeconfig': HOST_KUBECONFIG },
    exitCode: 2,
    error: /invalid --etcd "external" with --host-cluster/,
    labs: [],
  },
  {
    what: 'pool fill: --running above --size',
    args: () => ['pool', 'fill', '--size', '2', '--running', '3'],
    exitCode: 2,
    error: /invalid --running "3": must be a whole number from 0 to --size \(2\)/,
    labs: [],
  },
  {
    what: 'pool fill: unknown --profile',
    args: () => ['pool', 'fill', '--size', '2', '--profile', 'tiny'],
    exitCode: 2,
    error: /unknown --profile "tiny"/,
    labs: [],
  },
  {
    what: 'pool fill: --pool too long for its lab names',
    args: () => ['pool', 'fill', '--size', '2', '--pool', 'p'.repeat(38)],
    exitCode: 2,
    error: /invalid --pool "p{38}": it is 38 characters long, at most 36/,
    labs: [],
  },
  { what: 'claim: invalid participant name', args: () => ['claim', 'Alice Smith'], exitCode: 2, error: /invalid participant name "Alice Smith"/, labs: [] },
  { what: 'unknown command', args: () => ['frobnicate'], exitCode: 2, error: /unknown command 'frobnicate'/, labs: [] },
];

/** What every row's stderr must look like besides its own message. */
export const STACK_TRACE = /^\s+at .*\(.*:\d+:\d+\)$|^\s+at .*:\d+:\d+$/m;

/** The row's files under `dir`, and `dir/ro`, a directory nobody but root may write to. */
export function writeRowFiles(dir: string, row: BadInput): void {
  for (const [name, content] of Object.entries(row.files ?? {})) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  mkdirSync(join(dir, 'ro'), { mode: 0o555 });
  chmodSync(join(dir, 'ro'), 0o555);
}
