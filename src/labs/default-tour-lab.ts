/** The lab `lab tour` walks through without `--lab`; a file of its own so the CLI names it without loading the lab loader. */
export const DEFAULT_TOUR_LAB = 'architecture';
