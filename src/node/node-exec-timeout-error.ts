import { KindlabError } from '../common/kindlab-error.js';

/** An exec in a node that did not finish in time; the message carries the command, ready to paste. */
export class NodeExecTimeoutError extends KindlabError {
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`\`${command}\` did not finish within ${timeoutMs / 1000} s (stopped)`, {
      hint: 'run the command yourself to see where it hangs; a stuck containerd or API server is the usual cause',
    });
    this.name = 'NodeExecTimeoutError';
  }
}
