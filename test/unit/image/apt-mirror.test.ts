import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAptMirror, parseDeb822Sources, parseOneLineSources } from '../../../src/image/apt-mirror.js';

// Same shape as Debian 12's /etc/apt/sources.list.d/debian.sources; placeholder hosts.
const DEB822 = `Types: deb
# http://snapshot.invalid/archive/debian/20250520T000000Z
URIs: http://mirror.invalid/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.invalid/debian-security
Suites: bookworm-security
Components: main
`;

describe('apt mirror discovery', () => {
  it('takes the URI of the deb822 stanza that lists the suite itself', () => {
    expect(parseDeb822Sources(DEB822, 'bookworm')).toEqual(['http://mirror.invalid/debian']);
  });

  it('skips disabled stanzas and deb-src', () => {
    expect(parseDeb822Sources('Types: deb-src\nURIs: http://a.invalid/d\nSuites: bookworm\n', 'bookworm')).toEqual([]);
    expect(parseDeb822Sources('Enabled: no\nTypes: deb\nURIs: http://a.invalid/d\nSuites: bookworm\n', 'bookworm')).toEqual([]);
  });

  it('reads one-line sources with options', () => {
    const text = 'deb [signed-by=/k.gpg] http://b.invalid/debian bookworm main\ndeb http://b.invalid/sec bookworm-security main\n';
    expect(parseOneLineSources(text, 'bookworm')).toEqual(['http://b.invalid/debian']);
  });

  it('fails with a hint when no source names the suite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kindlab-apt-'));
    await mkdir(join(dir, 'sources.list.d'));
    await writeFile(join(dir, 'sources.list.d', 'debian.sources'), DEB822);
    await expect(findAptMirror('bookworm', dir)).resolves.toBe('http://mirror.invalid/debian');
    await expect(findAptMirror('trixie', dir)).rejects.toThrow(/failed to find a Debian mirror for trixie/);
  });
});
