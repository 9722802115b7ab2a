/**
 * The subset of JSON Schema our tool schemas use, and a validator for it. Tool input comes from the
 * model, so it is checked before any tool runs; the messages go back to the model as the tool error,
 * so they say what to change.
 */

export type JsonSchema =
  | { type: 'string'; description?: string; enum?: readonly string[] }
  | { type: 'integer'; description?: string; minimum?: number; maximum?: number }
  | { type: 'boolean'; description?: string }
  | { type: 'array'; description?: string; items: JsonSchema }
  | ObjectSchema;

export interface ObjectSchema {
  type: 'object';
  description?: string;
  properties: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  additionalProperties?: false;
}

/** Every problem with `value`, one sentence each; empty when it conforms. */
export function validate(schema: JsonSchema, value: unknown, where = 'the input'): string[] {
  switch (schema.type) {
    case 'object':
      return validateObject(schema, value, where);
    case 'string':
      if (typeof value !== 'string') return [`${where} must be a string, not ${describe(value)}.`];
      if (schema.enum && !schema.enum.includes(value)) {
        return [`${where} must be one of ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}, not ${JSON.stringify(value)}.`];
      }
      return [];
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return [`${where} must be a whole number, not ${describe(value)}.`];
      if (schema.minimum !== undefined && value < schema.minimum) return [`${where} must be at least ${schema.minimum}, not ${value}.`];
      if (schema.maximum !== undefined && value > schema.maximum) return [`${where} must be at most ${schema.maximum}, not ${value}.`];
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${where} must be true or false, not ${describe(value)}.`];
    case 'array':
      if (!Array.isArray(value)) return [`${where} must be an array, not ${describe(value)}.`];
      return value.flatMap((item, index) => validate(schema.items, item, `${where}[${index}]`));
  }
}

function validateObject(schema: ObjectSchema, value: unknown, where: string): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${where} must be an object, not ${describe(value)}.`];
  const record = value as Record<string, unknown>;
  const problems = (schema.required ?? []).filter((name) => record[name] === undefined).map((name) => `\`${name}\` is required.`);
  for (const [name, item] of Object.entries(record)) {
    const property = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
    if (property) {
      problems.push(...validate(property, item, `\`${name}\``));
    } else if (schema.additionalProperties === false) {
      const known = Object.keys(schema.properties).map((key) => `\`${key}\``);
      problems.push(`\`${name}\` is not a parameter of this tool${known.length ? ` (it takes ${known.join(', ')})` : ''}.`);
    }
  }
  return problems;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `${value}`;
  return `a value of type ${typeof value}`;
}
