import { UsageError } from '../common/kindlab-error.js';
import type { LabCapacity } from './lab-capacity.js';

/** `lab up --count N`: refuses, before anything is created, a room this host cannot hold. */
export function checkRoomFits(capacity: LabCapacity, count: number, flag = '--count'): void {
  const { fit, shape } = capacity;
  if (count <= fit.fits) return;
  const binding = fit.resources.find((r) => r.resource === fit.binding);
  throw new UsageError(
    `${flag} ${count} does not fit on this host: ${fit.fits} more ${shape.kind} lab(s) fit, ${fit.binding} binds (${binding?.detail ?? ''})`,
    {
      hint:
        fit.fits > 0
          ? `use ${flag} ${fit.fits}, or free ${fit.binding}; \`lab capacity ${shape.kind}\` shows every limit`
          : `free ${fit.binding} first; \`lab capacity ${shape.kind}\` shows every limit`,
    },
  );
}
