import { describe, expect, it } from 'vitest';
import { validateJsonSchema, type JsonSchema } from '../../../src/topology/validate-json-schema.js';

const schema: JsonSchema = {
  type: 'object',
  required: ['role'],
  additionalProperties: false,
  properties: {
    role: { enum: ['control-plane', 'worker'] },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    tags: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[a-z]+$' } },
    labels: { type: 'object', propertyNames: { pattern: '^[a-z.]+$' }, additionalProperties: { type: 'string' } },
  },
};

describe('validateJsonSchema', () => {
  it('accepts a valid value', () => {
    expect(validateJsonSchema({ role: 'worker', port: 80, tags: ['a'], labels: { 'x.y': 'z' } }, schema)).toEqual([]);
  });

  it('reports every violation with its path', () => {
    expect(validateJsonSchema({ port: 0, tags: [], extra: 1, labels: { BAD: 2 } }, schema)).toEqual([
      '$: missing required field role',
      '$.port: must be >= 1',
      '$.tags: needs at least 1 item(s)',
      '$.extra: unknown field',
      '$.labels.BAD (name): "BAD" does not match ^[a-z.]+$',
      '$.labels.BAD: must be of type string',
    ]);
    expect(validateJsonSchema({ role: 'master', tags: ['A'] }, schema)).toEqual([
      '$.role: must be one of "control-plane", "worker"',
      '$.tags[0]: "A" does not match ^[a-z]+$',
    ]);
  });

  it('refuses a schema keyword it does not implement, instead of ignoring it', () => {
    expect(() => validateJsonSchema({}, { oneOf: [] } as unknown as JsonSchema)).toThrow(/unsupported keyword\(s\): oneOf/);
  });
});
