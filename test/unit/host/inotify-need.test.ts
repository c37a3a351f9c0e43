import { describe, expect, it } from 'vitest';
import { INOTIFY_FLOOR, INOTIFY_PER_NODE, inotifyNeed } from '../../../src/host/inotify-need.js';

describe('inotifyNeed', () => {
  it("never asks for less than kind's recommendation", () => {
    expect(inotifyNeed(1)).toEqual(INOTIFY_FLOOR);
  });

  it('grows with the node count beyond the floor', () => {
    const many = inotifyNeed(8);
    expect(many.maxUserWatches).toBe(8 * INOTIFY_PER_NODE.maxUserWatches);
    expect(many.maxUserInstances).toBe(8 * INOTIFY_PER_NODE.maxUserInstances);
    expect(many.maxUserWatches).toBeGreaterThan(INOTIFY_FLOOR.maxUserWatches);
  });
});
