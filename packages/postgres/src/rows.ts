// Rows as the driver hands them are `any`; the package reads them as unknown and checks what it takes.

/** A column of a row, or undefined when the row is no object or lacks it. */
export const columnOf = (row: unknown, column: string): unknown => {
  if (typeof row !== 'object' || row === null || !Object.hasOwn(row, column)) return undefined;
  const value: unknown = Reflect.get(row, column);
  return value;
};

/** A non-negative integer column sent as text (numeric, bigint): as a bigint, or null when it is not one. */
export const bigintColumnOf = (row: unknown, column: string): bigint | null => {
  const value = columnOf(row, column);
  return typeof value === 'string' && /^\d+$/.test(value) ? BigInt(value) : null;
};

/** A numeric column (a count or a bigint sent as text, or a number) as a finite number, or null when it is not one. */
export const numberColumnOf = (row: unknown, column: string): number | null => {
  const value = columnOf(row, column);
  const n = value === null ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : null;
};
