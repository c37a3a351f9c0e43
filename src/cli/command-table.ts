import type { Command } from 'commander';

/**
 * The commands of `lab`, enough to list them in `lab --help` without loading them: each command's
 * module (its flags, and through them its domain code) loads only when that command runs, so
 * `lab --help` and `lab version` start fast. `arguments` and `hasOptions` make the help line of a
 * command that is not loaded read as when it is (test/unit/cli/command-table.test.ts checks it).
 */
export interface CommandEntry {
  name: string;
  description: string;
  /** The argument usage as help shows it, e.g. `[topology]`. */
  arguments: string;
  /** Whether the command has options of its own (help then shows `[options]`). */
  hasOptions: boolean;
  /** Adds the command's arguments, options, subcommands and action to the command named `name`. */
  load: () => Promise<(command: Command) => void>;
}

export const COMMAND_TABLE: readonly CommandEntry[] = [
  {
    name: 'up',
    description: 'create a lab: a real kind cluster of the chosen topology, ready to use',
    arguments: '[topology]',
    hasOptions: true,
    load: async () => (await import('./up-command.js')).registerUpCommand,
  },
  {
    name: 'down',
    description: 'remove a lab: its kind cluster, external etcd, metadata, name claim and kubeconfig context (idempotent)',
    arguments: '[name]',
    hasOptions: true,
    load: async () => (await import('./down-command.js')).registerDownCommand,
  },
  {
    name: 'stop',
    description: 'stop a lab (workers first, etcd last), keeping its containers, data and addresses',
    arguments: '[name]',
    hasOptions: true,
    load: async () => (await import('./stop-command.js')).registerStopCommand,
  },
  {
    name: 'start',
    description: 'start a stopped lab (etcd first, each node on its own address) and wait until it is healthy again',
    arguments: '[name]',
    hasOptions: true,
    load: async () => (await import('./start-command.js')).registerStartCommand,
  },
  {
    name: 'list',
    description: 'list labs (and plain kind clusters) on this Docker daemon',
    arguments: '',
    hasOptions: true,
    load: async () => (await import('./list-command.js')).registerListCommand,
  },
  {
    name: 'status',
    description: 'show a lab: topology, etcd mode, nodes (role, status, version, internal IP, age), context',
    arguments: '[name]',
    hasOptions: true,
    load: async () => (await import('./status-command.js')).registerStatusCommand,
  },
  {
    name: 'capacity',
    description: 'how many more labs of a topology this host holds (memory, CPU, inotify, pids, disk) and which limit binds',
    arguments: '[topology]',
    hasOptions: true,
    load: async () => (await import('./capacity-command.js')).registerCapacityCommand,
  },
  {
    name: 'suspend',
    description: 'freeze every container of a lab (docker pause): no CPU while frozen, memory kept',
    arguments: '<name>',
    hasOptions: true,
    load: async () => (await import('./suspend-command.js')).registerSuspendCommand,
  },
  {
    name: 'resume',
    description: 'thaw a suspended lab and wait until its nodes and kube-system pods are Ready again',
    arguments: '<name>',
    hasOptions: true,
    load: async () => (await import('./resume-command.js')).registerResumeCommand,
  },
  {
    name: 'pool',
    description: 'a warm pool of suspended labs for a room: `lab pool fill --size N [topology]`, then `lab claim NAME`',
    arguments: '',
    hasOptions: false,
    load: async () => (await import('./pool-command.js')).registerPoolCommand,
  },
  {
    name: 'claim',
    description: "hand a suspended pool lab to a participant: resume it, write the participant's kubeconfig (0600)",
    arguments: '<participant>',
    hasOptions: true,
    load: async () => (await import('./claim-command.js')).registerClaimCommand,
  },
  {
    name: 'host',
    description: 'prepare and check the machine kindlab runs clusters on',
    arguments: '',
    hasOptions: false,
    load: async () => (await import('./host-command.js')).registerHostCommand,
  },
  {
    name: 'inspect',
    description: 'snapshot a cluster: node containers, process trees, containerd pods and the Kubernetes view',
    arguments: '[name]',
    hasOptions: true,
    load: async () => (await import('./inspect-command.js')).registerInspectCommand,
  },
  {
    name: 'report',
    description: 'annotated report of a cluster: process trees per node, node table, roles and a diagram',
    arguments: '[name]',
    hasOptions: true,
    load: async () => (await import('./report-command.js')).registerReportCommand,
  },
  {
    name: 'verify',
    description: 'check that a running lab is the topology it should be: named checks with the evidence they saw',
    arguments: '[name]',
    hasOptions: true,
    load: async () => (await import('./verify-command.js')).registerVerifyCommand,
  },
  {
    name: 'serve',
    description: 'a live page of a lab (or of every lab) in the browser: nodes, pods, shims, pauses and the controller loop',
    arguments: '[name]',
    hasOptions: true,
    load: async () => (await import('./serve-command.js')).registerServeCommand,
  },
  {
    name: 'tour',
    description: 'walk through a workshop on a live cluster: narration, real demos, checks (Enter to go on, q to quit)',
    arguments: '[name]',
    hasOptions: true,
    load: async () => (await import('./tour-command.js')).registerTourCommand,
  },
  {
    name: 'image',
    description: 'build and list the offline kind images (node, components, load balancer); save and load them as one bundle',
    arguments: '',
    hasOptions: false,
    load: async () => (await import('./image-command.js')).registerImageCommand,
  },
  {
    name: 'version',
    description: 'print the kindlab version, the kind found, and the node image with its Kubernetes version',
    arguments: '',
    hasOptions: true,
    load: async () => (await import('./version-command.js')).registerVersionCommand,
  },
  {
    name: 'completion',
    description: 'print a shell completion script: source <(lab completion bash), or add it to your shell profile',
    arguments: '<shell>',
    hasOptions: false,
    load: async () => (await import('./completion-command.js')).registerCompletionCommand,
  },
];
