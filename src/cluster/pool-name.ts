import { UsageError } from '../common/kindlab-error.js';
import { MAX_LAB_NAME_LENGTH, parseLabName } from '../common/parse-lab-name.js';

export const DEFAULT_POOL = 'pool';

/** Room for `-<n>` up to -999: a pool's lab names `<pool>-<n>` must stay valid lab names. */
const MAX_POOL_NAME_LENGTH = MAX_LAB_NAME_LENGTH - 4;

/** The `--pool` value (default `pool`): a lab name short enough that `<pool>-<n>` is one too. */
export function parsePoolName(value: string | undefined): string {
  const pool = parseLabName(value ?? DEFAULT_POOL, '--pool');
  if (pool.length > MAX_POOL_NAME_LENGTH) {
    throw new UsageError(`invalid --pool "${pool}": it is ${pool.length} characters long, at most ${MAX_POOL_NAME_LENGTH} are allowed`, {
      hint: 'its labs are named <pool>-<n>, which must fit in a lab name',
    });
  }
  return pool;
}
