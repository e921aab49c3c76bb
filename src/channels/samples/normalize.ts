/**
 * Sample and hand-written records are already in the complaint shape; this only parses the line.
 * Validation happens at the pipeline boundary, like for every channel.
 */
export type ParsedLine = { ok: true; record: unknown } | { ok: false; reason: string };

export function parseRecordLine(line: string): ParsedLine {
  try {
    return { ok: true, record: JSON.parse(line) };
  } catch (error) {
    return { ok: false, reason: `not valid JSON: ${(error as Error).message}` };
  }
}
