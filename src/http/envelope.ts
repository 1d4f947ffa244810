/** The success envelope. Every route answers through these two helpers. */

export const ok = <T>(data: T) => ({ success: true as const, data });

export const page = <T>(data: T[], nextCursor: string | null) => ({
  success: true as const,
  data,
  nextCursor,
});
