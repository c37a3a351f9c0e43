import type { CommandResult } from '../common/command-runner.js';
import { formatCommand } from '../common/shell-quote.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { runInSections } from './command-sections.js';
import type { NodeExec, NodeExecOptions, NodeExecResult } from './node-exec.js';
import { NodeExecTimeoutError } from './node-exec-timeout-error.js';

/** What `docker exec` answers when the image has no coreutils `timeout` (distroless etcd, haproxy). */
const NO_TIMEOUT_BINARY = /"timeout": executable file not found|exec: "timeout"|timeout: not found/;
/** The same for `sh` (distroless etcd). */
const NO_SHELL = /"sh": executable file not found|exec: "sh"|sh: not found/;

/**
 * NodeExec over the Docker seam: `docker exec <node> argv`. The node name is the container name
 * (kind names its node containers after the nodes).
 *
 * On timeout or abort the `docker exec` child is killed, so the caller is free at once. The process
 * it started inside the node would linger (the Docker API cannot kill an exec), so with a timeout the
 * command runs under coreutils `timeout --kill-after` in the node, set a little past the host's
 * deadline: the host gives up first and names the command; the node then ends what is left. Images
 * without `timeout` (the load balancer, distroless etcd) are remembered per node and run unwrapped;
 * a stuck command there lingers until it ends by itself.
 */
export class DockerNodeExec implements NodeExec {
  private readonly withoutTimeoutBinary = new Set<string>();
  private readonly withoutShell = new Set<string>();

  constructor(private readonly docker: DockerCli) {}

  command(node: string, argv: readonly string[]): string {
    return formatCommand('docker', ['exec', node, ...argv]);
  }

  async exec(node: string, argv: readonly string[], options: NodeExecOptions = {}): Promise<NodeExecResult> {
    const { timeoutMs } = options;
    if (timeoutMs === undefined || this.withoutTimeoutBinary.has(node)) return this.run(node, argv, argv, options);
    const inNodeSeconds = String(Math.ceil(timeoutMs / 1000) + 2);
    const result = await this.run(node, ['timeout', '--kill-after=2', inNodeSeconds, ...argv], argv, options);
    if (result.exitCode !== 126 && result.exitCode !== 127) return result;
    // The docker CLI prints the runtime's refusal on stdout (CLI 28.2.2 against Docker 20.10.24), so both are read.
    if (!NO_TIMEOUT_BINARY.test(`${result.stderr}\n${result.stdout}`)) return result;
    this.withoutTimeoutBinary.add(node);
    return this.run(node, argv, argv, options);
  }

  /** One `docker exec` for all of them (see command-sections.ts); one each on a node without `sh`. */
  async execEach(node: string, argvs: readonly (readonly string[])[], options: NodeExecOptions = {}): Promise<NodeExecResult[]> {
    if (argvs.length < 2 || this.withoutShell.has(node)) return Promise.all(argvs.map((argv) => this.exec(node, argv, options)));
    const { sections, result, error } = await runInSections(
      (argv) => this.exec(node, argv, options),
      argvs,
      (argv) => this.command(node, argv),
    );
    if (sections) return sections;
    if ((result.exitCode === 126 || result.exitCode === 127) && NO_SHELL.test(`${result.stderr}\n${result.stdout}`)) {
      this.withoutShell.add(node);
      return Promise.all(argvs.map((each) => this.exec(node, each, options)));
    }
    throw error();
  }

  private async run(node: string, argv: readonly string[], shown: readonly string[], options: NodeExecOptions): Promise<NodeExecResult> {
    let result: CommandResult;
    try {
      result = await this.docker.exec(node, argv, {
        allowFailure: true,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (timedOut(error)) throw new NodeExecTimeoutError(this.command(node, shown), options.timeoutMs ?? 0);
      throw error;
    }
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  }
}

/** execa marks the result it rejects with (the CommandError's cause) when its timeout killed the child. */
function timedOut(error: unknown): boolean {
  return (error as { cause?: { timedOut?: unknown } }).cause?.timedOut === true;
}
