import { CommandError } from '../common/command-runner.js';
import { UsageError } from '../common/kindlab-error.js';
import { valueOrPending, waitUntil, WaitTimeoutError } from '../common/wait-until.js';
import {
  CLAIM_COMPONENT,
  dockerLabelArgs,
  PARTICIPANT_COMPONENT,
  LAB_CLAIMED_AT_LABEL,
  LAB_COMPONENT_LABEL,
  LAB_LABEL,
  LAB_RUN_LABEL,
} from '../common/labels.js';
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
  return recordCreateArgs(
    claimContainerName(lab),
    { [LAB_LABEL]: lab, [LAB_RUN_LABEL]: runId, [LAB_COMPONENT_LABEL]: CLAIM_COMPONENT, [LAB_CLAIMED_AT_LABEL]: claimedAt },
    image,
  );
}

/** `docker create` arguments of a never-started container that only holds a name and its labels. */
export function recordCreateArgs(name: string, labels: Record<string, string>, image: string): string[] {
  return ['--name', name, ...dockerLabelArgs(labels), '--network', 'none', image];
}

/** Takes the name or throws "lab NAME is in use" (exit 2) naming the run that holds it. */
export async function claimLab(docker: DockerCli, lab: string, runId: string, claimedAt: string, image: string, signal?: AbortSignal): Promise<LabClaim> {
  const result = await docker.createContainer(claimCreateArgs(lab, runId, claimedAt, image));
  if (result.exitCode === 0) return { lab, runId, claimedAt, container: claimContainerName(lab) };
  if (/Conflict|is already in use/i.test(result.stderr)) {
    throw labInUseError(lab, await waitForClaim(docker, lab, signal));
  }
  throw new CommandError(result.command, result.args, result);
}

/**
 * The daemon reserves a name before the container exists: a create that lost the race by a few
 * milliseconds gets "Conflict" while the winner's claim is not yet listed. Look for a few seconds.
 */
async function waitForClaim(docker: DockerCli, lab: string, signal: AbortSignal | undefined): Promise<LabClaim | undefined> {
  try {
    return await waitUntil(async () => valueOrPending(await findClaim(docker, lab), 'no claim listed yet'), {
      what: `the claim on lab ${lab}`,
      timeoutMs: 5000,
      intervalMs: 250,
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof WaitTimeoutError) return undefined;
    throw error;
  }
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

/** A never-started container that only holds a record: the name claim, or the participant a pool lab was handed to. */
export function isRecordContainer(container: Pick<ContainerInfo, 'labels'>): boolean {
  return isClaimContainer(container) || container.labels[LAB_COMPONENT_LABEL] === PARTICIPANT_COMPONENT;
}

export function labInUseError(lab: string, claim: LabClaim | undefined): UsageError {
  // The claim may have gone between the conflict and the lookup (its run failed and cleaned up).
  const by = claim ? `by run ${claim.runId} since ${claim.claimedAt}` : 'by another run that just released it';
  return new UsageError(`lab ${lab} is in use (${by})`, {
    hint: `choose another --name, or if that run is gone remove the lab with \`lab down ${lab}\``,
  });
}
