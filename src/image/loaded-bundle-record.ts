import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageBundleManifest } from './image-bundle-manifest.js';

/** What `lab image load` records: the bundle the images on this daemon came from. */
export interface LoadedBundleRecord {
  file: string;
  loadedAt: string;
  manifest: ImageBundleManifest;
}

export function loadedBundleRecordPath(home: string): string {
  return join(home, 'image-bundle', 'loaded.json');
}

/** The last loaded bundle, or undefined (none loaded, or a record this version cannot read). */
export function readLoadedBundleRecord(home: string): LoadedBundleRecord | undefined {
  try {
    return JSON.parse(readFileSync(loadedBundleRecordPath(home), 'utf8')) as LoadedBundleRecord;
  } catch {
    return undefined;
  }
}
