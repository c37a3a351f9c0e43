import { describe, expect, it } from 'vitest';
import { daemonJsonDiff, parseDaemonJson } from '../../../src/host/daemon-json-file.js';
import { effectiveDefaultRuntime, findInstalledWrapper, unwrapDefaultRuntime, wrapDefaultRuntime } from '../../../src/host/merge-daemon-json.js';

const PATH = '/usr/local/bin/kindlab-runc';
const NVIDIA = { path: '/usr/bin/nvidia-container-runtime', runtimeArgs: ['--debug'] };

describe('wrapDefaultRuntime', () => {
  it('wraps Docker built-in runc when daemon.json names no default; reset removes its entry and names runc explicitly', () => {
    const { config, previous } = wrapDefaultRuntime({}, 'kindlab-runc', PATH);
    expect(config).toEqual({ runtimes: { 'kindlab-runc': { path: PATH } }, 'default-runtime': 'kindlab-runc' });
    expect(previous).toEqual({ defaultRuntime: null, wrapperEntry: null, hadRuntimes: false });
    expect(findInstalledWrapper(config, 'kindlab-runc', PATH)).toEqual({ wraps: undefined });
    // Without the key a dockerd 20.10 reload keeps "kindlab-runc" as default, finds no entry for it and panics.
    expect(unwrapDefaultRuntime(config, 'kindlab-runc', previous)).toEqual({ 'default-runtime': 'runc' });
  });

  it('keeps an nvidia-like default: the wrapper execs its path with its runtimeArgs, and reset restores it', () => {
    const before = { 'log-level': 'warn', 'insecure-registries': ['10.0.0.1:5000'], runtimes: { nvidia: NVIDIA }, 'default-runtime': 'nvidia' };
    const { config, previous } = wrapDefaultRuntime(before, 'kindlab-runc', PATH);
    expect(config).toEqual({
      'log-level': 'warn',
      'insecure-registries': ['10.0.0.1:5000'],
      runtimes: {
        nvidia: NVIDIA,
        'kindlab-runc': { path: PATH, runtimeArgs: ['--kindlab-runtime=/usr/bin/nvidia-container-runtime', '--kindlab-runtime-arg=--debug'] },
      },
      'default-runtime': 'kindlab-runc',
    });
    expect(findInstalledWrapper(config, 'kindlab-runc', PATH)).toEqual({ wraps: NVIDIA.path });
    expect(previous.defaultRuntime).toBe('nvidia');
    expect(unwrapDefaultRuntime(config, 'kindlab-runc', previous)).toEqual(before);
    expect(effectiveDefaultRuntime(unwrapDefaultRuntime(config, 'kindlab-runc', previous))).toBe('nvidia');
  });

  it('refuses a default runtime it cannot find a path for', () => {
    expect(() => wrapDefaultRuntime({ 'default-runtime': 'crun' }, 'kindlab-runc', PATH)).toThrow(
      /failed to wrap Docker's default runtime "crun": daemon.json has no path/,
    );
  });

  it('records an earlier kindlab-runc entry that was not the default, and reset puts it back', () => {
    const before = { runtimes: { 'kindlab-runc': { path: '/old' } } };
    const { config, previous } = wrapDefaultRuntime(before, 'kindlab-runc', PATH);
    expect(previous.wrapperEntry).toEqual({ path: '/old' });
    expect(unwrapDefaultRuntime(config, 'kindlab-runc', previous)).toEqual({ ...before, 'default-runtime': 'runc' });
  });

  it('leaves a default runtime someone changed after prepare', () => {
    const { config, previous } = wrapDefaultRuntime({ 'default-runtime': 'runc' }, 'kindlab-runc', PATH);
    const changed = { ...config, 'default-runtime': 'other' };
    expect(unwrapDefaultRuntime(changed, 'kindlab-runc', previous)['default-runtime']).toBe('other');
  });
});

describe('findInstalledWrapper', () => {
  it('recognizes an install by an older kindlab (no runtimeArgs: it wraps runc)', () => {
    const old = parseDaemonJson(JSON.stringify({ runtimes: { 'kindlab-runc': { path: PATH } }, 'default-runtime': 'kindlab-runc' }), '/etc/docker/daemon.json');
    expect(findInstalledWrapper(old, 'kindlab-runc', PATH)).toEqual({ wraps: undefined });
  });

  it('does not take a registered but non-default or elsewhere-installed wrapper for ours', () => {
    expect(findInstalledWrapper({ runtimes: { 'kindlab-runc': { path: PATH } } }, 'kindlab-runc', PATH)).toBeUndefined();
    expect(findInstalledWrapper({ runtimes: { 'kindlab-runc': { path: '/x' } }, 'default-runtime': 'kindlab-runc' }, 'kindlab-runc', PATH)).toBeUndefined();
  });
});

describe('parseDaemonJson and daemonJsonDiff', () => {
  it('refuses a file it cannot parse, naming it', () => {
    expect(() => parseDaemonJson('{"debug": true,', '/etc/docker/daemon.json')).toThrow(/failed to parse \/etc\/docker\/daemon.json/);
    expect(() => parseDaemonJson('[1]', '/x/daemon.json')).toThrow(/\/x\/daemon.json: it is not a JSON object/);
    expect(parseDaemonJson(undefined, '/x')).toEqual({});
  });

  it('lists added, removed and changed keys and runtimes', () => {
    const before = { a: 1, runtimes: { custom: { path: '/r' } }, 'default-runtime': 'custom' };
    const after = { runtimes: { custom: { path: '/r' }, w: { path: '/w' } }, 'default-runtime': 'w', b: true };
    expect(daemonJsonDiff(before, after)).toEqual(['- a: 1', '~ default-runtime: "custom" -> "w"', '+ runtimes.w: {"path":"/w"}', '+ b: true']);
  });
});
