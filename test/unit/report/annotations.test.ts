import { describe, expect, it } from 'vitest';
import { fill, loadAnnotations, parseAnnotations } from '../../../src/report/annotations.js';

describe('annotation texts', () => {
  it('use the workshop wording', () => {
    const texts = loadAnnotations('en');
    expect(texts.components.kubelet).toBe('manages pod descriptions and controls the container runtime');
    expect(texts.components['kube-proxy']).toBe('is responsible for network communication with services');
    expect(texts.components['kube-apiserver']).toBe('provides the Kubernetes API');
    expect(texts.components['kube-scheduler']).toBe('assigns pods to workers');
  });

  it('refuse an unknown or malformed language and a file without sections', () => {
    expect(() => loadAnnotations('xx')).toThrow(/no annotations for language xx/);
    expect(() => loadAnnotations('../etc')).toThrow(/invalid language/);
    expect(() => parseAnnotations('components: {}\n', 'test.yaml')).toThrow(/missing processes, roles, communication, headings/);
  });

  it('fill placeholders and leave unknown ones visible', () => {
    expect(fill('{a} and {b}', { a: 'x' })).toBe('x and {b}');
  });
});
