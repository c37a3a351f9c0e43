import { describe, expect, it } from 'vitest';
import { numberedLabNames, parseRoomCount } from '../../../src/room/room-lab-names.js';
import { parseParticipants } from '../../../src/room/read-participants-file.js';
import { usageErrorOf } from '../support/usage-error-of.js';

describe('room lab names', () => {
  it('numbers labs from 1, zero-padded to two digits or the width of the count', () => {
    expect(numberedLabNames('team', 3)).toEqual(['team-01', 'team-02', 'team-03']);
    expect(numberedLabNames('team', 120).slice(-2)).toEqual(['team-119', 'team-120']);
  });

  it('refuses a prefix that is not a lab name, or one too long for the numbered names, naming --prefix', () => {
    expect(usageErrorOf(() => numberedLabNames('Team', 2)).message).toMatch(/^invalid --prefix "Team": only lowercase/);
    const long = 'a'.repeat(38);
    expect(usageErrorOf(() => numberedLabNames(long, 2)).message).toBe(
      `invalid --prefix "${long}": the lab name ${long}-02 would be longer than 40 characters`,
    );
  });

  it('takes --count from 1 to 1000, naming --count otherwise', () => {
    expect(parseRoomCount('12')).toBe(12);
    for (const bad of ['0', '-1', '2.5', 'twelve', '1001', '']) expect(usageErrorOf(() => parseRoomCount(bad)).message).toMatch(/^invalid --count /);
  });
});

describe('participants file', () => {
  it('reads one name a line, skipping blank lines and # comments', () => {
    const text = '# room 2\nalice\n\n  bob  \r\ncarol-2\n';
    expect(parseParticipants(text, 'p.txt', 'ws')).toEqual([
      { name: 'alice', lab: 'ws-alice', line: 2 },
      { name: 'bob', lab: 'ws-bob', line: 4 },
      { name: 'carol-2', lab: 'ws-carol-2', line: 5 },
    ]);
  });

  it('names the file and line of a bad or repeated entry (exit 2), and the format in the hint', () => {
    const bad = usageErrorOf(() => parseParticipants('alice\nBob Smith\n', 'p.txt', 'ws'));
    expect(bad.message).toMatch(/^invalid participant "Bob Smith" at p\.txt:2: only lowercase letters/);
    expect(bad.hint).toMatch(/^one participant per line/);
    expect(usageErrorOf(() => parseParticipants('alice\nbob\nalice\n', 'p.txt', 'ws')).message).toBe(
      'invalid participant "alice" at p.txt:3: already on line 1',
    );
    expect(usageErrorOf(() => parseParticipants(`${'x'.repeat(40)}\n`, 'p.txt', 'ws')).message).toMatch(
      /at p\.txt:1: the lab name ws-x+ would be 43 characters long/,
    );
    expect(usageErrorOf(() => parseParticipants('# nobody\n\n', 'p.txt', 'ws')).message).toBe('invalid --participants p.txt: no participants in it');
  });
});
