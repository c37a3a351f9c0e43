import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NO_CONTAINERD_TASK_DIR_EXIT } from '../../../src/inspect/read-node-processes.js';
import { FakeNodeExec } from './fake-node-exec.js';
import { rawReadName } from './raw-read-name.js';

/**
 * A NodeExec that answers readNodeProcesses' commands with a recording (`<dir>/<node>.<what>.txt`, as
 * `lab inspect --raw-dir` writes them). Recordings made before kindlab read containerd's task
 * directory hold crictl's reads instead: for them, and with `tasks: 'absent'`, the task read answers
 * as a node without the directory does, so crictl's recorded reads are replayed.
 */
export function replayRawExec(dir: string, options: { tasks?: 'recorded' | 'absent' } = {}): FakeNodeExec {
  return new FakeNodeExec((node, argv) => {
    const what = rawReadName(argv);
    if (!what) return { exitCode: 1, stdout: '', stderr: `not recorded: ${argv.join(' ')}` };
    const path = join(dir, `${node}.${what}.txt`);
    if (what === 'containerd-tasks' && (options.tasks === 'absent' || !existsSync(path))) {
      return { exitCode: NO_CONTAINERD_TASK_DIR_EXIT, stdout: '', stderr: '' };
    }
    const text = readFileSync(path, 'utf8');
    return { exitCode: 0, stdout: text.slice(text.indexOf('\n') + 1), stderr: '' };
  });
}
