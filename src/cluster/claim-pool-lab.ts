import { CommandError } from '../common/command-runner.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { LAB_CLAIMED_AT_LABEL, LAB_COMPONENT_LABEL, LAB_LABEL, LAB_PARTICIPANT_LABEL, PARTICIPANT_COMPONENT } from '../common/labels.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { recordCreateArgs } from './lab-claim.js';
import type { LabDeps } from './lab-deps.js';
import { labForName } from './lab-for-name.js';
import { listLabNames } from './lab-status.js';
import { writeParticipantKubeconfig } from './participant-kubeconfig.js';
import { listPoolLabs } from './pool-labs.js';
import { resumeLab, type ResumeOptions } from './resume-lab.js';

export interface ClaimResult {
  participant: string;
  /** The kind cluster's own name: kept, since kind bakes it into node names, container names and the API certificates. */
  lab: string;
  pool: string;
  kubeconfig: string;
  context: string;
  /** The participant already had this lab: nothing new was claimed. */
  again: boolean;
  /** From the start of `lab claim` to the lab Ready (settled) with the kubeconfig written. */
  totalMs: number;
  resumeMs: number;
  /** The lab was frozen and thawed by this claim (false: it was kept running, `lab pool fill --running`). */
  thawed: boolean;
}

export function participantRecordName(lab: string): string {
  return `${lab}-kindlab-participant`;
}

/**
 * `lab claim NAME`: hands an unclaimed lab of the pool to participant NAME: the oldest one kept
 * running (`lab pool fill --running`, no thaw to wait for), else the oldest suspended one. The
 * hand-over is a never-started container `<lab>-kindlab-participant` carrying the lab's and the
 * participant's labels: its name makes it atomic (two claims running at once never get the same
 * lab, the loser takes the next one), it lives and goes with the lab (`lab down` removes it by the
 * lab label), and `labForName` finds the lab from the participant name. Then the lab is resumed and
 * waited for, and the participant gets a kubeconfig of their own. Claiming again for the same
 * participant hands back the same lab (resumed if it was suspended since).
 */
export async function claimPoolLab(deps: LabDeps, participant: string, options: ResumeOptions & { pool: string }): Promise<ClaimResult> {
  const started = Date.now();
  const owned = await labForName(deps.docker, participant);
  let lab: string;
  let again = false;
  if (owned !== participant) {
    lab = owned;
    again = true;
  } else {
    const { managed, kindOnly } = await listLabNames(deps);
    if ([...managed, ...kindOnly].includes(participant)) {
      throw new UsageError(`participant name ${participant} is the name of a lab`, { hint: 'choose another participant name (see `lab list`)' });
    }
    lab = await takeFreeLab(deps.docker, participant, options.pool);
  }
  const resumed = await resumeLab(deps, lab, options);
  const kubeconfig = writeParticipantKubeconfig(resumed.kubeconfig, participant);
  return {
    participant,
    lab,
    pool: options.pool,
    kubeconfig,
    context: participant,
    again,
    totalMs: Date.now() - started,
    resumeMs: resumed.readyMs,
    thawed: resumed.unpaused.length > 0,
  };
}

async function takeFreeLab(docker: DockerCli, participant: string, pool: string): Promise<string> {
  const unclaimed = (await listPoolLabs(docker, pool)).filter((lab) => lab.participant === undefined);
  // Running ones first: they are Ready now. Oldest first within each (listPoolLabs' order).
  const free = [...unclaimed.filter((lab) => lab.running), ...unclaimed.filter((lab) => lab.suspended)];
  for (const candidate of free) {
    const result = await docker.createContainer(participantRecordArgs(candidate.name, participant, new Date().toISOString(), candidate.nodeImage));
    if (result.exitCode === 0) return candidate.name;
    // Another claim took this one a moment ago: try the next.
    if (!/Conflict|is already in use/i.test(result.stderr)) throw new CommandError(result.command, result.args, result);
  }
  throw new KindlabError(`pool ${pool} has no free lab for ${participant}`, {
    hint: `add labs with \`lab pool fill --size N --pool ${pool}\` (see \`lab list\` for the pool's labs)`,
  });
}

/** `docker create` arguments of the participant record; `image` is any local image (it never runs). */
export function participantRecordArgs(lab: string, participant: string, claimedAt: string, image: string): string[] {
  return recordCreateArgs(
    participantRecordName(lab),
    { [LAB_LABEL]: lab, [LAB_COMPONENT_LABEL]: PARTICIPANT_COMPONENT, [LAB_PARTICIPANT_LABEL]: participant, [LAB_CLAIMED_AT_LABEL]: claimedAt },
    image,
  );
}
