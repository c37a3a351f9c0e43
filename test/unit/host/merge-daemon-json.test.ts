import { describe, expect, it } from 'vitest';
import { mergeDaemonJson } from '../../../src/host/merge-daemon-json.js';

const PATH = '/usr/local/bin/kindlab-runc';

describe('mergeDaemonJson', () => {
  it('creates the file content when there is none', () => {
    const merge = mergeDaemonJson(undefined, 'kindlab-runc', PATH);
    expect(merge.changed).toBe(true);
    expect(JSON.parse(merge.text)).toEqual({ runtimes: { 'kindlab-runc': { path: PATH } }, 'default-runtime': 'kindlab-runc' });
  });

  it('keeps other keys and other runtimes', () => {
    const existing = JSON.stringify({
      'log-level': 'warn',
      'insecure-registries': ['10.0.0.1:5000'],
      runtimes: { nvidia: { path: '/usr/bin/nvidia-container-runtime', runtimeArgs: [] } },
    });
    const merged = JSON.parse(mergeDaemonJson(existing, 'kindlab-runc', PATH).text);
    expect(merged['log-level']).toBe('warn');
    expect(merged['insecure-registries']).toEqual(['10.0.0.1:5000']);
    expect(merged.runtimes.nvidia).toEqual({ path: '/usr/bin/nvidia-container-runtime', runtimeArgs: [] });
    expect(merged.runtimes['kindlab-runc']).toEqual({ path: PATH });
    expect(merged['default-runtime']).toBe('kindlab-runc');
  });

  it('says which default runtime it replaces', () => {
    const merge = mergeDaemonJson('{"default-runtime":"crun"}', 'kindlab-runc', PATH);
    expect(merge.replacedDefaultRuntime).toBe('crun');
  });

  it('changes nothing when the wrapper is already the default', () => {
    const first = mergeDaemonJson('{"debug":true}', 'kindlab-runc', PATH);
    const second = mergeDaemonJson(first.text, 'kindlab-runc', PATH);
    expect(second).toEqual({ text: first.text, changed: false, replacedDefaultRuntime: undefined });
  });

  it('repairs a registered runtime with another path', () => {
    const merge = mergeDaemonJson('{"runtimes":{"kindlab-runc":{"path":"/old"}},"default-runtime":"kindlab-runc"}', 'kindlab-runc', PATH);
    expect(merge.changed).toBe(true);
    expect(JSON.parse(merge.text).runtimes['kindlab-runc'].path).toBe(PATH);
  });

  it('refuses to overwrite a file it cannot parse', () => {
    expect(() => mergeDaemonJson('{"debug": true,', 'kindlab-runc', PATH)).toThrow(/failed to parse \/etc\/docker\/daemon.json/);
    expect(() => mergeDaemonJson('[1]', 'kindlab-runc', PATH)).toThrow(/not a JSON object/);
  });
});
