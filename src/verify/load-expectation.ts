import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readUserText } from '../common/read-user-file.js';
import { projectRoot } from '../common/paths.js';
import { BUILT_IN_EXPECTATIONS, parseExpectation, type Expectation } from './expectation.js';

export function builtInExpectationPath(name: string): string {
  return join(projectRoot(), 'templates', 'expectations', `${name}.yaml`);
}

/** `--expect single|multi|ha|external` reads a built-in; anything else is a file path. */
export async function loadExpectation(reference: string): Promise<Expectation> {
  if ((BUILT_IN_EXPECTATIONS as readonly string[]).includes(reference)) {
    const text = await readFile(builtInExpectationPath(reference), 'utf8');
    return parseExpectation(text, `built-in expectation ${reference}`);
  }
  const hint = `use one of ${BUILT_IN_EXPECTATIONS.join(', ')} or the path of a YAML expectation file`;
  const text = readUserText(reference, 'expectation file', hint);
  return parseExpectation(text, reference);
}
