import { beforeAll } from 'vitest';
import { schemaErrors, type SchemaName } from '../../../src/common/validate-with-schema.js';

/**
 * Compiles the schemas a test file uses before its tests run. Compiling is real work (ajv generates a
 * validator function per schema), seconds on a loaded 2-core machine; done here, with its own deadline,
 * no single test's timeout pays for it.
 */
export function warmSchemas(...names: SchemaName[]): void {
  beforeAll(() => {
    for (const name of names) schemaErrors(null, name);
  }, 120_000);
}
