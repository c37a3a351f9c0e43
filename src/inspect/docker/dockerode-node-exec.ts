import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { NodeExec, NodeExecResult } from './node-exec.js';

/**
 * NodeExec over the Docker Engine exec API. Without a TTY the stream is multiplexed, so it is split
 * with docker.modem.demuxStream and the exit code is read from exec.inspect() once it has ended.
 */
export class DockerodeNodeExec implements NodeExec {
  constructor(private readonly docker: Docker) {}

  async exec(containerId: string, argv: readonly string[]): Promise<NodeExecResult> {
    const exec = await this.docker.getContainer(containerId).exec({
      Cmd: [...argv],
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    const stream = await exec.start({ hijack: true, stdin: false, Tty: false });
    const stdout = collect();
    const stderr = collect();
    this.docker.modem.demuxStream(stream, stdout.sink, stderr.sink);
    await Promise.race([once(stream, 'end'), once(stream, 'close')]);
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, stdout: stdout.text(), stderr: stderr.text() };
  }
}

function collect(): { sink: PassThrough; text: () => string } {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
}
