/**
 * A deliberately small JSON Schema checker for the schemas under templates/: it knows only the
 * keywords those files use, and refuses a schema with any other keyword, so a schema edit can never
 * be silently ignored. (No ajv: one more dependency for ~80 lines of checks was not worth it.)
 */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  $comment?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  const?: unknown;
  enum?: readonly unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  items?: JsonSchema;
  required?: readonly string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
}

/** Annotations ($schema, $id, title, description, $comment) are known and check nothing. */
const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', '$id', 'title', 'description', '$comment', 'type', 'const', 'enum', 'pattern', 'minimum', 'maximum', 'minItems', 'items', 'required', 'properties',
  'additionalProperties', 'propertyNames',
]);

/** Returns one message per violation, each starting with the JSON path of the offending value. */
export function validateJsonSchema(value: unknown, schema: JsonSchema, path = '$'): string[] {
  const unknownKeywords = Object.keys(schema).filter((key) => !KNOWN_KEYWORDS.has(key));
  if (unknownKeywords.length > 0) throw new Error(`schema at ${path} uses unsupported keyword(s): ${unknownKeywords.join(', ')}`);

  const errors: string[] = [];
  if (schema.const !== undefined && value !== schema.const) errors.push(`${path}: must be ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push(`${path}: must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (schema.type && !hasType(value, schema.type)) {
    errors.push(`${path}: must be of type ${schema.type}`);
    return errors;
  }
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: must be <= ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: needs at least ${schema.minItems} item(s)`);
    if (schema.items) value.forEach((item, i) => errors.push(...validateJsonSchema(item, schema.items as JsonSchema, `${path}[${i}]`)));
  }
  if (isPlainObject(value)) {
    for (const key of schema.required ?? []) {
      if (!(key in value)) errors.push(`${path}: missing required field ${key}`);
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}.${key}`;
      if (schema.propertyNames) errors.push(...validateJsonSchema(key, schema.propertyNames, `${childPath} (name)`));
      const propertySchema = schema.properties?.[key];
      if (propertySchema) {
        errors.push(...validateJsonSchema(child, propertySchema, childPath));
      } else if (schema.additionalProperties === false) {
        errors.push(`${childPath}: unknown field`);
      } else if (typeof schema.additionalProperties === 'object') {
        errors.push(...validateJsonSchema(child, schema.additionalProperties, childPath));
      }
    }
  }
  return errors;
}

function hasType(value: unknown, type: NonNullable<JsonSchema['type']>): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
