import { UsageError } from '../common/kindlab-error.js';
import { isValidLabName, MAX_LAB_NAME_LENGTH } from '../common/parse-lab-name.js';
import { readUserText } from '../common/read-user-file.js';

export interface Participant {
  /** As written in the file, e.g. "alice". */
  name: string;
  /** The lab's name: `<prefix>-<name>`. */
  lab: string;
  /** 1-based line in the file, for messages. */
  line: number;
}

/** The documented format, shown in every error about the file. */
export const PARTICIPANTS_FORMAT =
  'one participant per line: lowercase letters, digits and "-" (e.g. alice); blank lines and lines starting with # are skipped';

/**
 * A participants file (`lab up --participants FILE`): a plain list of names, the format people type
 * into an editor or paste from a sign-up sheet. Each name becomes the lab `<prefix>-<name>`, which
 * must be a valid lab name; a bad or repeated entry stops the run before anything is created,
 * naming its line.
 */
export function parseParticipants(text: string, source: string, prefix: string): Participant[] {
  const participants: Participant[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const name = raw.trim();
    if (name === '' || name.startsWith('#')) return;
    const lab = `${prefix}-${name}`;
    if (!isValidLabName(lab)) {
      const problem =
        lab.length > MAX_LAB_NAME_LENGTH
          ? `the lab name ${lab} would be ${lab.length} characters long, at most ${MAX_LAB_NAME_LENGTH} are allowed`
          : 'only lowercase letters, digits and "-" are allowed, starting and ending with a letter or digit';
      throw new UsageError(`invalid participant ${JSON.stringify(name)} at ${source}:${line}: ${problem}`, { hint: PARTICIPANTS_FORMAT });
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw new UsageError(`invalid participant ${JSON.stringify(name)} at ${source}:${line}: already on line ${first}`, { hint: PARTICIPANTS_FORMAT });
    }
    seen.set(name, line);
    participants.push({ name, lab, line });
  });
  if (participants.length === 0) throw new UsageError(`invalid --participants ${source}: no participants in it`, { hint: PARTICIPANTS_FORMAT });
  return participants;
}

export function readParticipantsFile(path: string, prefix: string): Participant[] {
  return parseParticipants(readUserText(path, 'participants file', PARTICIPANTS_FORMAT), path, prefix);
}
