import { forestPrefix } from '../inspect/process-tree.js';
import { foldCommand, wrapText } from './fold-command.js';
import type { ProcessRow } from './report-model.js';

export interface TreeLayoutOptions {
  /** Width of the CMD column, tree art included. */
  commandWidth: number;
  /** Width of the annotation column; 0 leaves annotations out. */
  annotationWidth: number;
}

export interface TreeLine {
  /** The PID column (blank on folded continuation lines). */
  pid: string;
  /** Tree art plus command text for this line. */
  command: string;
  annotation: string;
  row: ProcessRow;
  first: boolean;
}

/**
 * Lays out rows like `ps fxwwo pid,cmd`: PID right-aligned, ` \_ ` art per depth, long command
 * lines folded under their own start, the annotation in a column to the right.
 */
export function layoutProcessTree(rows: readonly ProcessRow[], options: TreeLayoutOptions): { header: TreeLine | null; lines: TreeLine[]; pidWidth: number } {
  const pidWidth = Math.max(5, ...rows.map((r) => String(r.pid).length));
  const lines: TreeLine[] = [];
  for (const row of rows) {
    const prefix = forestPrefix(row.depth);
    const continuation = ' '.repeat(prefix.length + 2);
    const firstWidth = Math.max(16, options.commandWidth - prefix.length);
    const restWidth = Math.max(16, options.commandWidth - continuation.length);
    const commandLines = foldCommand(row.args, firstWidth, restWidth).map((text, index) => (index === 0 ? prefix : continuation) + text);
    const annotationLines = options.annotationWidth > 0 ? wrapText(row.annotation, options.annotationWidth) : [''];
    const count = Math.max(commandLines.length, annotationLines.length);
    for (let i = 0; i < count; i++) {
      lines.push({
        pid: i === 0 ? String(row.pid).padStart(pidWidth) : ' '.repeat(pidWidth),
        command: commandLines[i] ?? '',
        annotation: annotationLines[i] ?? '',
        row,
        first: i === 0,
      });
    }
  }
  return { header: null, lines, pidWidth };
}

/** The tree as plain text lines (text and Markdown reports). */
export function processTreeText(rows: readonly ProcessRow[], options: TreeLayoutOptions): string[] {
  const { lines, pidWidth } = layoutProcessTree(rows, options);
  // A fixed column: one over-long argument shifts the note on its own line only, not the whole tree.
  const commandColumn = options.commandWidth;
  const withAnnotations = options.annotationWidth > 0;
  const header = `${'PID'.padStart(pidWidth)} ${withAnnotations ? 'CMD'.padEnd(commandColumn) + '  ROLE' : 'CMD'}`;
  return [
    header.trimEnd(),
    ...lines.map((l) => (withAnnotations && l.annotation ? `${l.pid} ${l.command.padEnd(commandColumn)}  ${l.annotation}` : `${l.pid} ${l.command}`.trimEnd())),
  ];
}
