import type { ReportModel } from './report-model.js';

/** A table of the report: the same columns in every format (text, md, html). */
export interface ReportTable {
  header: string[];
  rows: string[][];
}

type Row<K extends 'nodeTable' | 'containerTable' | 'pods'> = ReportModel[K][number];
type Columns<R> = ReadonlyArray<readonly [header: string, cell: (row: R) => string]>;

/** kubectl's `get nodes -o wide` columns. */
const NODE_COLUMNS: Columns<Row<'nodeTable'>> = [
  ['NAME', (r) => r.name],
  ['STATUS', (r) => r.status],
  ['ROLES', (r) => r.roles],
  ['AGE', (r) => r.age],
  ['VERSION', (r) => r.version],
  ['INTERNAL-IP', (r) => r.internalIp],
  ['CONTAINER-RUNTIME', (r) => r.runtime],
];

/** The node containers as Docker runs them, with what they cost. */
const CONTAINER_COLUMNS: Columns<Row<'containerTable'>> = [
  ['NAME', (r) => r.name],
  ['ROLE', (r) => r.role],
  ['IMAGE', (r) => r.image],
  ['IP', (r) => r.ip],
  ['STATE', (r) => r.state],
  ['MEM', (r) => r.memory],
  ['CPU', (r) => r.cpu],
];

const POD_COLUMNS: Columns<Row<'pods'>> = [
  ['NAMESPACE', (p) => p.namespace],
  ['NAME', (p) => p.name],
  ['NODE', (p) => p.node],
  ['PHASE', (p) => p.phase],
  ['STATIC', (p) => (p.static ? 'yes' : '')],
  ['CONTAINERS', (p) => p.containers],
];

function tableOf<R>(rows: readonly R[], columns: Columns<R>): ReportTable {
  return { header: columns.map(([header]) => header), rows: rows.map((row) => columns.map(([, cell]) => cell(row))) };
}

export function nodeTable(model: ReportModel): ReportTable {
  return tableOf(model.nodeTable, NODE_COLUMNS);
}

export function containerTable(model: ReportModel): ReportTable {
  return tableOf(model.containerTable, CONTAINER_COLUMNS);
}

/** Every pod; the richer formats add label and annotation columns (plain text stays narrow). */
export function podTable(model: ReportModel, extra: ReadonlyArray<'labels' | 'annotations'> = []): ReportTable {
  return tableOf(model.pods, [...POD_COLUMNS, ...extra.map((column) => [column.toUpperCase(), (p: Row<'pods'>) => p[column]] as const)]);
}
