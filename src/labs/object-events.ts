import type { CoreV1Event } from '@kubernetes/client-node';
import type { ObservedEvent } from './action-outcome.js';
import { formatTable } from '../common/format-table.js';
import type { TourContext } from './tour-context.js';

export interface EventSubject {
  kind: string;
  name: string;
  /** Events outlive their objects: a uid keeps an earlier tour's events about a same-named object out. */
  uid: string | undefined;
}

/** Events about the given objects, oldest first; the component is who reported it (scheduler, a controller, a kubelet). */
export async function eventsFor(ctx: TourContext, objects: readonly EventSubject[]): Promise<ObservedEvent[]> {
  const lists = await Promise.all(
    objects.map((o) =>
      ctx.kube.listEvents(
        ctx.namespace,
        [`involvedObject.kind=${o.kind}`, `involvedObject.name=${o.name}`, ...(o.uid ? [`involvedObject.uid=${o.uid}`] : [])].join(','),
      ),
    ),
  );
  return lists
    .flat()
    .sort((a, b) => eventTime(a) - eventTime(b))
    .map((e) => ({
      object: `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`,
      reason: e.reason ?? '',
      component: e.source?.component || e.reportingComponent || '',
      message: (e.message ?? '').replace(/\s+/g, ' ').trim(),
    }));
}

export function formatEvents(events: readonly ObservedEvent[]): string {
  if (events.length === 0) return '(no events yet)';
  return formatTable(
    ['REASON', 'FROM', 'OBJECT', 'MESSAGE'],
    events.map((e) => [e.reason, e.component, e.object, e.message]),
  );
}

function eventTime(event: CoreV1Event): number {
  const time = event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp;
  return time ? new Date(time).getTime() : 0;
}
