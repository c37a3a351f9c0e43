import { CommandError } from '../common/command-runner.js';
import { UsageError } from '../common/kindlab-error.js';
import { sleep } from '../common/sleep.js';
import { CLAIM_COMPONENT, LAB_CLAIMED_AT_LABEL, LAB_COMPONENT_LABEL, LAB_LABEL, LAB_RUN_LABEL } from '../common/labels.js';
import type { ContainerInfo, DockerCli } from '../docker/docker-cli.js';

/*
 * The claim on a lab name, held on the Docker daemon itself.
 *
 * Container names are unique per daemon and `docker create` of a taken name fails with "Conflict",
 * so creating a never-started container named after the lab is an atomic test-and-set that every
 * user, KINDLAB_HOME and CI job sharing the daemon sees (a volume would not do: `docker volume
 * create` succeeds on an existing name). The claim lives as long as the lab: `lab down` removes it
 * with the lab's other dev.kindlab.lab resources, and a failed `lab up` removes it by its run id.
 * It carries no kind label, so kind does not take it for a node.
 */

export interface LabClaim {
  lab: string;
  runId: string;
  claimedAt: string;
  container: string;
}

export function claimContainerName(lab: string): string {
  return `${lab}-kindlab-claim`;
}

/** `docker create` arguments for the claim; `image` is any local image (it never runs). */
export function claimCreateArgs(lab: string, runId: string, claimedAt: string, image: string): string[] {
  return [
    '--name', claimContainerName(lab),
    '--label', `${LAB_LABEL}=${lab}`,
    '--label', `${LAB_RUN_LABEL}=${runId}`,
    '--label', `${LAB_COMPONENT_LABEL}=${CLAIM_COMPONENT}`,
    '--label', `${LAB_CLAIMED_AT_LABEL}=${claimedAt}`,
    '--network', 'none',
    image,
  ];
}

/** Takes the name or throws "lab NAME is in use" (exit 2) naming the run that holds it. */
export async function claimLab(docker: DockerCli, lab: string, runId: string, claimedAt: string, image: string): Promise<LabClaim> {
  const result = await docker.createContainer(claimCreateArgs(lab, runId, claimedAt, image));
  if (result.exitCode === 0) return { lab, runId, claimedAt, container: claimContainerName(lab) };
  if (/Conflict|is already in use/i.test(result.stderr)) {
    throw labInUseError(lab, await waitForClaim(docker, lab));
  }
  throw new CommandError(result.command, result.args, result);
}

/**
 * The daemon reserves a name before the container exists: a create that lost the race by a few
 * milliseconds gets "Conflict" while the winner's claim is not yet listed. Look for a few seconds.
 */
async function waitForClaim(docker: DockerCli, lab: string): Promise<LabClaim | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const claim = await findClaim(docker, lab);
    if (claim) return claim;
    await sleep(250);
  }
  return undefined;
}

/** The current claim on a name, if any. */
export async function findClaim(docker: DockerCli, lab: string): Promise<LabClaim | undefined> {
  return claimAmong(lab, await docker.containersWithLabel(LAB_LABEL, lab));
}

/** The claim among containers already listed by the lab's label, if any. */
export function claimAmong(lab: string, containers: readonly ContainerInfo[]): LabClaim | undefined {
  const claim = containers.find(isClaimContainer);
  if (!claim) return undefined;
  return { lab, runId: claim.labels[LAB_RUN_LABEL] ?? '?', claimedAt: claim.labels[LAB_CLAIMED_AT_LABEL] ?? '?', container: claim.name };
}

export function isClaimContainer(container: Pick<ContainerInfo, 'labels'>): boolean {
  return container.labels[LAB_COMPONENT_LABEL] === CLAIM_COMPONENT;
}

export function labInUseError(lab: string, claim: LabClaim | undefined): UsageError {
  // The claim may have gone between the conflict and the lookup (its run failed and cleaned up).
  const by = claim ? `by run ${claim.runId} since ${claim.claimedAt}` : 'by another run that just released it';
  return new UsageError(`lab ${lab} is in use (${by})`, {
    hint: `choose another --name, or if that run is gone remove the lab with \`lab down ${lab}\``,
  });
}
