import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/common/paths.js';
import { RUNTIME_WRAPPER_SOURCE } from '../../../src/host/runtime-wrapper.js';

// The wrapper's config rewrite is Go; its tests run against the recorded runc specs in test/fixtures/host/runc.
describe('runtime-capfilter (Go)', () => {
  it('passes go vet and go test', () => {
    const cwd = join(projectRoot(), RUNTIME_WRAPPER_SOURCE);
    const env = { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' };
    execFileSync('go', ['vet', './...'], { cwd, env, stdio: 'pipe' });
    const output = execFileSync('go', ['test', '-count=1', './...'], { cwd, env, encoding: 'utf8', stdio: 'pipe' });
    expect(output).toMatch(/^ok\s+kindlab\/runtime-capfilter/m);
  }, 120_000);
});
