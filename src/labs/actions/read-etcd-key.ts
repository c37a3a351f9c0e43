import type { ClusterContainer } from '../../inspect/docker/cluster-containers.js';
import { KindlabError } from '../../common/kindlab-error.js';
import { etcdctlArgv, STACKED_ETCD_CONTAINER_ARGV } from '../../inspect/etcdctl-argv.js';
import { parseGetResponse, parseMemberList } from '../../inspect/parse-etcdctl-output.js';
import type { ActionOutcome } from '../action-outcome.js';
import { execInNode } from '../../node/exec-in-node.js';
import { formatTable } from '../../common/format-table.js';
import type { TourContext } from '../tour-context.js';

/** etcdctl runs where etcd runs: in the etcd static pod's container (through crictl on the node) or in the external etcd container. */
export async function readEtcdKey(ctx: TourContext, labConfigMap: string): Promise<ActionOutcome> {
  const configMap = ctx.objectName(labConfigMap);
  const key = `/registry/configmaps/${ctx.namespace}/${configMap}`;
  const etcdctl = await locateEtcdctl(ctx);
  const [rangeText, membersText, object] = await Promise.all([
    etcdctl.run(['get', key, '-w', 'json']),
    etcdctl.run(['member', 'list', '-w', 'json']),
    ctx.kube.read('configmap', ctx.namespace, configMap),
  ]);
  const kv = parseGetResponse(rangeText);
  const members = parseMemberList(membersText);
  const value = kv?.value ?? Buffer.alloc(0);
  const printable = printableText(value);

  const findings = [kv ? `etcd holds ${key}: ${value.length} bytes, Kubernetes' protobuf encoding (it starts with "k8s\\0").` : `etcd has no key ${key}.`];
  if (kv?.modRevision !== undefined && String(kv.modRevision) === object.metadata?.resourceVersion) {
    findings.push(`The object's resourceVersion (${object.metadata?.resourceVersion}) is etcd's mod_revision of the key.`);
  }
  findings.push(
    ctx.topology.externalEtcd
      ? `etcd runs outside the cluster in ${ctx.topology.externalEtcd.name}; the api-servers reach it over the kind network.`
      : `etcd runs as a static pod on ${ctx.topology.controlPlanes.length === 1 ? 'the control plane' : `each of the ${ctx.topology.controlPlanes.length} control planes`}: ${members.length} member${members.length === 1 ? '' : 's'}${members.length > 1 ? `, quorum ${Math.floor(members.length / 2) + 1}` : ''}.`,
  );
  return {
    views: {
      members: {
        title: 'etcd members',
        command: etcdctl.display(['member', 'list', '-w', 'table']),
        body: formatTable(
          ['NAME', 'PEER URLS', 'CLIENT URLS'],
          members.map((m) => [m.name, m.peerURLs.join(','), m.clientURLs.join(',')]),
        ),
      },
      key: {
        title: 'The key',
        command: etcdctl.display(['get', key, '--keys-only']),
        body: kv
          ? `${kv.key}\ncreate_revision=${kv.createRevision ?? '?'} mod_revision=${kv.modRevision ?? '?'} version=${kv.version ?? '?'} size=${value.length} bytes`
          : '(not found)',
      },
      value: {
        title: 'The value (printable bytes; "." stands for binary)',
        command: etcdctl.display(['get', key, '--print-value-only']),
        body: wrap(printable, 100),
      },
    },
    findings,
    facts: { type: 'readEtcdKey', key, found: kv !== undefined, printableValue: printable, members: members.length },
  };
}

interface Etcdctl {
  run(args: string[]): Promise<string>;
  display(args: string[]): string;
}

async function locateEtcdctl(ctx: TourContext): Promise<Etcdctl> {
  const external = ctx.topology.externalEtcd;
  if (external) {
    const argv = (args: string[]): string[] => etcdctlArgv({ external: true }, args);
    return {
      run: (args) => execInNode(ctx.exec, external.name, argv(args), { signal: ctx.signal }),
      display: (args) => ctx.exec.command(external.name, argv(args)),
    };
  }
  const node = ctx.topology.controlPlanes.find((c) => c.state === 'running');
  if (!node) throw new KindlabError('failed to find etcd: no running control-plane node');
  const containerId = await etcdContainerId(ctx, node);
  const argv = (args: string[]): string[] => etcdctlArgv({ stackedContainerId: containerId }, args);
  return {
    run: (args) => execInNode(ctx.exec, node.name, argv(args), { signal: ctx.signal }),
    display: (args) =>
      ctx.exec.command(
        node.name,
        argv(args).map((a) => (a === containerId ? containerId.slice(0, 13) : a)),
      ),
  };
}

async function etcdContainerId(ctx: TourContext, node: ClusterContainer): Promise<string> {
  const ids = (await execInNode(ctx.exec, node.name, STACKED_ETCD_CONTAINER_ARGV)).trim().split('\n').filter(Boolean);
  if (!ids[0]) throw new KindlabError(`failed to find the running etcd container on ${node.name}`, { hint: `see \`docker exec ${node.name} crictl ps -a\`` });
  return ids[0];
}

/** Like `strings`: keep runs of printable ASCII, show each run of other bytes as one dot. */
export function printableText(value: Buffer): string {
  let out = '';
  let inBinary = false;
  for (const byte of value) {
    if (byte >= 0x20 && byte < 0x7f) {
      out += String.fromCharCode(byte);
      inBinary = false;
    } else if (!inBinary) {
      out += '.';
      inBinary = true;
    }
  }
  return out;
}

function wrap(text: string, width: number): string {
  return text.replace(new RegExp(`(.{1,${width}})`, 'g'), '$1\n').trimEnd();
}
