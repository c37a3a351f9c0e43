/**
 * `lab report` through the API path (an agent pod per node, Docker unreachable) against the Docker
 * path on the same lab, in alternating pairs (Docker, API, Docker, API ...) so drift on a shared
 * machine hits both alike (issue 13's goal: API path within 2x). Prints JSON: every pair's seconds and
 * api/docker ratio, their medians and the ratio's spread. Not part of CI.
 *
 *   npm run build
 *   node dist/bench/api-path-bench.js <lab> <kubeconfig> [pairs]
 *
 * The kubeconfig is the one `lab up --kubeconfig` wrote (context kind-<lab>); the API path runs with
 * DOCKER_HOST=unix:///nonexistent.sock, so it cannot fall back to Docker.
 */
import { LAB_CLI } from './lab-cli.js';
import { median, round, timeCliRun } from './bench-stats.js';

const [lab, kubeconfig, pairsText] = process.argv.slice(2);
const pairCount = Number(pairsText ?? 5);
if (!lab || !kubeconfig || !Number.isInteger(pairCount) || pairCount < 1) {
  process.stderr.write('usage: node dist/bench/api-path-bench.js <lab> <kubeconfig> [pairs]\n');
  process.exit(2);
}
const cli = LAB_CLI;

const dockerArgs = ['report', lab, '--format', 'json'];
const apiArgs = ['report', '--kubeconfig', kubeconfig, '--context', `kind-${lab}`, '--via', 'api', '--format', 'json'];
const pairs: Array<{ dockerSeconds: number; apiSeconds: number; ratio: number }> = [];
for (let i = 0; i < pairCount; i++) {
  const dockerSeconds = timeCliRun(cli, dockerArgs);
  const apiSeconds = timeCliRun(cli, apiArgs, { DOCKER_HOST: 'unix:///nonexistent.sock' });
  pairs.push({ dockerSeconds: round(dockerSeconds), apiSeconds: round(apiSeconds), ratio: round(apiSeconds / dockerSeconds) });
  process.stderr.write(`pair ${i + 1}/${pairCount}: docker ${dockerSeconds.toFixed(2)} s, api ${apiSeconds.toFixed(2)} s\n`);
}
const ratios = pairs.map((p) => p.ratio);
process.stdout.write(
  `${JSON.stringify(
    {
      docker: `lab ${dockerArgs.join(' ')}`,
      api: `DOCKER_HOST=unix:///nonexistent.sock lab ${apiArgs.join(' ')}`,
      pairs,
      medianDockerSeconds: round(median(pairs.map((p) => p.dockerSeconds))),
      medianApiSeconds: round(median(pairs.map((p) => p.apiSeconds))),
      ratio: { median: round(median(ratios)), min: Math.min(...ratios), max: Math.max(...ratios) },
    },
    null,
    2,
  )}\n`,
);
