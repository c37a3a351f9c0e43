/** The expectations `lab verify --expect` knows by name; a file of its own (js-yaml free) so the CLI lists them without loading the verifier. */
export const BUILT_IN_EXPECTATIONS = ['single', 'multi', 'ha', 'external'] as const;
export type BuiltInExpectation = (typeof BUILT_IN_EXPECTATIONS)[number];
