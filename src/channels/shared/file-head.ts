import { open } from 'node:fs/promises';

/** Enough bytes for every signature `detectFileKind` reads (OOXML names its parts within the first entries). */
export const HEAD_BYTES = 4096;

/** The first bytes of a stored file and its size; undefined when it cannot be read. */
export async function readHead(path: string): Promise<{ bytes: Uint8Array; size: number } | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const size = (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { bytes: buffer.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}
