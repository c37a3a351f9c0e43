import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkKindlabHome } from '../../../src/common/check-kindlab-home.js';
import { checkKubeconfigTarget } from '../../../src/common/check-kubeconfig-target.js';
import { checkOutputDirectory, checkOutputFile } from '../../../src/common/check-output-path.js';
import { KindlabError, UsageError } from '../../../src/common/kindlab-error.js';
import { parseLabName } from '../../../src/common/parse-lab-name.js';
import { makePrivateDirectory, writePrivateFile } from '../../../src/common/write-private-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kindlab-paths-'));
  writeFileSync(join(dir, 'file'), 'x');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('checkOutputFile / checkOutputDirectory', () => {
  it('accepts a new file in an existing directory and an existing file, and returns the absolute path', () => {
    expect(checkOutputFile(join(dir, 'new.txt'), '--out')).toBe(join(dir, 'new.txt'));
    expect(checkOutputFile(join(dir, 'file'), '--out')).toBe(join(dir, 'file'));
    expect(checkOutputDirectory(join(dir, 'raw'), '--raw-dir')).toBe(join(dir, 'raw'));
    expect(checkOutputDirectory(dir, '--raw-dir')).toBe(dir);
  });

  it.each([
    ['a directory as the file', () => checkOutputFile(dir, '--out'), /invalid --out ".*": it is a directory/],
    ['a missing parent', () => checkOutputFile(join(dir, 'no', 'r.html'), '--out'), /invalid --out .*: directory .*\/no does not exist/],
    ['a file as the parent', () => checkOutputFile(join(dir, 'file', 'r.html'), '--evidence-out'), /invalid --evidence-out .*ENOTDIR/],
    ['a file as the directory', () => checkOutputDirectory(join(dir, 'file'), '--raw-dir'), /invalid --raw-dir .*: it exists and is not a directory/],
  ])('refuses %s with a usage error naming the flag', (_what, check, message) => {
    expect(check).toThrow(UsageError);
    expect(check).toThrow(message);
  });
});

describe('checkKubeconfigTarget', () => {
  it('accepts a missing file under missing directories (kind creates them) and an existing file', () => {
    expect(() => checkKubeconfigTarget(join(dir, 'a', 'b', 'config'))).not.toThrow();
    expect(() => checkKubeconfigTarget(join(dir, 'file'))).not.toThrow();
  });

  it('refuses a directory and a stale <file>.lock (exit 1: the environment, not the input)', () => {
    expect(() => checkKubeconfigTarget(dir)).toThrow(/invalid kubeconfig target ".*": it is a directory/);
    writeFileSync(join(dir, 'file.lock'), '');
    const error = (() => {
      try {
        checkKubeconfigTarget(join(dir, 'file'));
      } catch (e) {
        return e as KindlabError;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/kubeconfig .*file is locked: .*file\.lock exists/);
    expect(error?.hint).toMatch(/rm .*file\.lock/);
    expect(error?.exitCode).toBe(1);
  });
});

describe('checkKindlabHome', () => {
  it('creates a missing home, owner-only', () => {
    const home = join(dir, 'x', 'home');
    expect(checkKindlabHome(home)).toBe(home);
    expect(statSync(home).mode & 0o777).toBe(0o700);
  });

  it('refuses a home under a regular file, naming KINDLAB_HOME', () => {
    expect(() => checkKindlabHome(join(dir, 'file', 'home'))).toThrow(/invalid KINDLAB_HOME ".*file\/home": ENOTDIR/);
  });
});

describe('parseLabName', () => {
  it.each(['kindlab', 'a', 'team-1', 'a'.repeat(40)])('accepts %s', (name) => expect(parseLabName(name)).toBe(name));
  it.each(['', 'Bad Name', '../x', 'a/b', 'a.b', '-a', 'a-', 'a_b', 'a'.repeat(41)])('refuses %j', (name) => {
    expect(() => parseLabName(name, '--name')).toThrow(new RegExp(`^invalid --name ${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
  });
});

describe('writePrivateFile / makePrivateDirectory', () => {
  it('leaves files 0600 and directories 0700, also when they existed with wider modes', () => {
    const file = join(dir, 'file');
    const sub = join(dir, 'sub');
    mkdirSync(sub, { mode: 0o755 });
    writePrivateFile(file, 'y');
    makePrivateDirectory(sub);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(sub).mode & 0o777).toBe(0o700);
  });
});
