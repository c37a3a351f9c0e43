import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KindlabError } from '../common/kindlab-error.js';

/**
 * The Debian mirror this machine's apt already uses, for debootstrap. Read at run time so no
 * mirror hostname is ever written into the project.
 */
export async function findAptMirror(suite: string, aptDir = '/etc/apt'): Promise<string> {
  const candidates: string[] = [];
  const sourcesDir = join(aptDir, 'sources.list.d');
  const entries = await readdir(sourcesDir).catch(() => [] as string[]);
  for (const entry of entries.sort()) {
    if (entry.endsWith('.sources')) candidates.push(...parseDeb822Sources(await readFile(join(sourcesDir, entry), 'utf8'), suite));
    if (entry.endsWith('.list')) candidates.push(...parseOneLineSources(await readFile(join(sourcesDir, entry), 'utf8'), suite));
  }
  const mainList = await readFile(join(aptDir, 'sources.list'), 'utf8').catch(() => '');
  candidates.push(...parseOneLineSources(mainList, suite));
  const mirror = candidates[0];
  if (!mirror) {
    throw new KindlabError(`failed to find a Debian mirror for ${suite} in ${aptDir}`, {
      hint: `add a "deb <mirror> ${suite} main" source to apt, as debootstrap needs one`,
    });
  }
  return mirror;
}

/** deb822 stanzas (`Types: deb`, `URIs:`, `Suites:`): the URIs of stanzas that carry the suite itself. */
export function parseDeb822Sources(text: string, suite: string): string[] {
  const mirrors: string[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue;
      const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (match?.[1] && match[2] !== undefined) fields.set(match[1].toLowerCase(), match[2].trim());
    }
    const types = (fields.get('types') ?? '').split(/\s+/);
    const suites = (fields.get('suites') ?? '').split(/\s+/);
    if (fields.get('enabled') === 'no' || !types.includes('deb') || !suites.includes(suite)) continue;
    mirrors.push(...(fields.get('uris') ?? '').split(/\s+/).filter((u) => /^https?:\/\//.test(u)));
  }
  return mirrors;
}

/** sources.list lines: `deb [options] <uri> <suite> <components...>`. */
export function parseOneLineSources(text: string, suite: string): string[] {
  const mirrors: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\[[^\]]*\]/, ' ').trim();
    const [type, uri, lineSuite] = line.split(/\s+/);
    if (type === 'deb' && uri && /^https?:\/\//.test(uri) && lineSuite === suite) mirrors.push(uri);
  }
  return mirrors;
}
