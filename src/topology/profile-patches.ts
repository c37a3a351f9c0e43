import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { KindlabError } from '../common/kindlab-error.js';
import { schemaErrors, schemaFile } from '../common/validate-with-schema.js';
import type { ProfileName, TopologySpec } from './topology-spec.js';

/** One setting of a profile (templates/profiles/*.yaml, templates/schemas/profile.schema.json). */
export interface ProfileSetting {
  name: string;
  component: string;
  appliesTo: 'every-lab' | 'single-control-plane' | 'single-stacked-etcd';
  why: string;
  /** A kubeadm config merge patch, as kind's kubeadmConfigPatches take it. */
  patch: string;
}

export interface Profile {
  name: string;
  description: string;
  settings: ProfileSetting[];
}

export function profileFile(name: Exclude<ProfileName, 'default'>): string {
  return join('profiles', `${name}.yaml`);
}

/** Reads and checks a profile; a broken one is kindlab's bug (exit 1), like a broken template. */
export function loadProfile(dir: string, name: Exclude<ProfileName, 'default'>): Profile {
  const path = join(dir, profileFile(name));
  let profile: unknown;
  try {
    profile = load(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new KindlabError(`failed to load profile ${path}`, { cause: error });
  }
  const errors = schemaErrors(profile, 'profile');
  if (errors.length > 0) throw new KindlabError(`failed to validate profile ${path}: ${errors.join('; ')}`, { hint: `it must match ${schemaFile('profile')}` });
  return profile as Profile;
}

/** The settings of the lab's profile that apply to its shape, in the file's order (none for `default`). */
export function profileSettings(dir: string, spec: Pick<TopologySpec, 'profile' | 'controlPlanes' | 'etcd'>): ProfileSetting[] {
  if (spec.profile === undefined || spec.profile === 'default') return [];
  return loadProfile(dir, spec.profile).settings.filter((setting) => applies(setting.appliesTo, spec));
}

function applies(scope: ProfileSetting['appliesTo'], spec: Pick<TopologySpec, 'controlPlanes' | 'etcd'>): boolean {
  switch (scope) {
    case 'every-lab':
      return true;
    case 'single-control-plane':
      return spec.controlPlanes === 1;
    case 'single-stacked-etcd':
      return spec.controlPlanes === 1 && spec.etcd === 'stacked';
  }
}
