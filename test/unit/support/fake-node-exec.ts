import type { NodeExec, NodeExecOptions, NodeExecResult } from '../../../src/node/node-exec.js';
import { formatCommand } from '../../../src/common/shell-quote.js';

export type NodeExecAnswer = (node: string, argv: readonly string[]) => NodeExecResult | Promise<NodeExecResult>;

/**
 * NodeExec for unit tests: answers come from a function (usually replaying outputs recorded from a
 * real cluster); every call is kept, with its options.
 */
export class FakeNodeExec implements NodeExec {
  readonly calls: Array<{ node: string; argv: readonly string[]; options: NodeExecOptions }> = [];

  constructor(private readonly answer: NodeExecAnswer) {}

  async exec(node: string, argv: readonly string[], options: NodeExecOptions = {}): Promise<NodeExecResult> {
    this.calls.push({ node, argv, options });
    options.signal?.throwIfAborted();
    return this.answer(node, argv);
  }

  /** Like exec for each argv; `batches` keeps which commands were asked for together. */
  readonly batches: Array<{ node: string; argvs: readonly (readonly string[])[] }> = [];

  async execEach(node: string, argvs: readonly (readonly string[])[], options: NodeExecOptions = {}): Promise<NodeExecResult[]> {
    this.batches.push({ node, argvs });
    return Promise.all(argvs.map((argv) => this.exec(node, argv, options)));
  }

  command(node: string, argv: readonly string[]): string {
    return formatCommand('docker', ['exec', node, ...argv]);
  }
}
