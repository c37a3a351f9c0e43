import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { InvalidFileError } from './invalid-file-error.js';
import { projectRoot } from './paths.js';

/** The schemas under templates/schemas/, one per file a user writes or kindlab reads back. */
export type SchemaName =
  'lab' | 'expectation' | 'tour-lab' | 'snapshot-v1' | 'kind-config' | 'lab-costs' | 'profile' | 'image-bundle' | 'verify-outcome' | 'hosted-lab';

/** Where a schema lives, relative to the project root: what hints and `$schema=` lines name. */
export function schemaFile(name: SchemaName): string {
  return `templates/schemas/${name}.schema.json`;
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

/**
 * Compiled on first use only, so commands that read no file never load ajv (startup stays fast).
 * useDefaults fills in the schema's `default`s (e.g. a tour action's replicas), so defaults live in
 * the schema and nowhere else.
 */
function validator(name: SchemaName): ValidateFunction {
  const cached = compiled.get(name);
  if (cached) return cached;
  if (!ajv) {
    const { Ajv2020: Ajv } = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 };
    ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, allowUnionTypes: true, strict: true });
    // Editors (VS Code, yaml-language-server) show this instead of the bare pattern; so do we.
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  }
  const schema = JSON.parse(readFileSync(join(projectRoot(), schemaFile(name)), 'utf8')) as object;
  const validate = ajv.compile(schema);
  compiled.set(name, validate);
  return validate;
}

/** Every violation of the schema, each `<JSON pointer> <what is wrong>`; empty when the data is valid. */
export function schemaErrors(data: unknown, name: SchemaName): string[] {
  const validate = validator(name);
  if (validate(data)) return [];
  const problems = (validate.errors ?? []).flatMap((error) => problemsOf(error));
  return [...new Set(problems)];
}

/** Throws an InvalidFileError (exit 2) listing every violation, with a hint naming the schema file. */
export function validateWithSchema(data: unknown, name: SchemaName, source: string, hint?: string): void {
  const problems = schemaErrors(data, name);
  if (problems.length > 0) throw new InvalidFileError(source, problems, schemaHint(name, hint));
}

export function schemaHint(name: SchemaName, hint?: string): string {
  return `the file must match ${schemaFile(name)}${hint ? `; ${hint}` : ''}`;
}

/** One ajv error in kindlab's words: `<JSON pointer> <what is wrong> (got <value>)`; none for wrapper keywords. */
function problemsOf(error: ErrorObject): string[] {
  const at = error.instancePath || '/';
  const child = (key: string): string => `${error.instancePath}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
  const params = error.params as Record<string, unknown>;
  const got = ` (got ${shown(error.data)})`;
  switch (error.keyword) {
    case 'if':
    case 'propertyNames':
      // `if`: the branch's own errors say what is wrong. `propertyNames`: the inner error names the key.
      return [];
    case 'required':
      return [`${child(String(params.missingProperty))} is required`];
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return [`${child(key)} is not a known field${known.length ? ` (known: ${known.join(', ')})` : ''}`];
    }
    case 'enum':
      return [`${at} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}${got}`];
    case 'const':
      return [`${at} must be ${String(params.allowedValue)}${got}`];
    case 'type':
      return [
        `${at} must be ${[params.type]
          .flat()
          .map((t) => TYPE_NAMES[String(t)] ?? String(t))
          .join(' or ')}${got}`,
      ];
    case 'pattern': {
      // Inside propertyNames, ajv sets propertyName: the key itself is what is wrong.
      const key = (error as { propertyName?: string }).propertyName;
      const name = key === undefined ? at : child(key);
      const what = key === undefined ? got : ` (the field name ${shown(key)})`;
      const message = (error.parentSchema as { patternErrorMessage?: string } | undefined)?.patternErrorMessage;
      return [`${name} ${message ?? `must match ${String(params.pattern)}`}${what}`];
    }
    case 'minimum':
    case 'maximum':
      return [`${at} must be ${String(params.comparison)} ${String(params.limit)}${got}`];
    case 'minItems':
      return [`${at} must have at least ${String(params.limit)} item(s)`];
    case 'minLength':
      return [`${at} must be at least ${String(params.limit)} character(s) long${got}`];
    default:
      return [`${at} ${error.message ?? `fails ${error.keyword}`}`];
  }
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
