/** A step with a title whose run() returns a one-line summary (host prepare, image save/load). */
export interface TitledStep {
  title: string;
  run(): Promise<string>;
}

/**
 * Runs the steps one after another with listr2 progress, each title completed by its summary;
 * none with json, so stdout stays one JSON value. `ownSignals`: the command handles SIGINT/SIGTERM
 * itself (to clean up), so listr2 must not exit on them.
 */
export async function runSteps(steps: readonly TitledStep[], options: { json: boolean; ownSignals?: boolean }): Promise<void> {
  const { Listr } = await import('listr2');
  await new Listr(
    steps.map((step) => ({
      title: step.title,
      task: async (_ctx: unknown, task: { title: string }) => {
        task.title = `${step.title}: ${await step.run()}`;
      },
    })),
    {
      concurrent: false,
      exitOnError: true,
      renderer: options.json ? 'silent' : 'default',
      // Without a TTY (CI, pipes) progress is plain lines.
      fallbackRenderer: options.json ? 'silent' : 'simple',
      ...(options.ownSignals ? { registerSignalListeners: false } : {}),
    },
  ).run();
}
