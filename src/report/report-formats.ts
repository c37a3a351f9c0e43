/** What `lab report -o` renders; a file of its own so the CLI lists them without loading the renderers. */
export const REPORT_FORMATS = ['text', 'md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
