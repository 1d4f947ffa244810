/**
 * Shopify's search syntax, written by the server: a caller's value is always one quoted term
 * (`email:"x OR status:any"` stays one term), with quotes and backslashes escaped and control
 * characters dropped, so a value can never add a filter, a connective or a field.
 */
export function quoteSearchValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return `"${clean.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export const searchTerm = (field: string, value: string | number | boolean) =>
  `${field}:${quoteSearchValue(String(value))}`;
