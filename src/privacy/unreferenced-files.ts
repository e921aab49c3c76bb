import { lstat, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '../store/store';

/**
 * A file is written before the record naming it is stored (a channel saves the attachment, then submits
 * the complaint): only files older than this, that no record names, are left over and deleted.
 */
export const UNREFERENCED_GRACE_MS = 24 * 60 * 60_000;

/**
 * Deletes the files in the attachment folders that no ticket, held chat message, unfinished intake entry
 * or quarantined record names any more (their ticket was anonymized, their message was never stored).
 * Symlinks and other non-regular files are left alone. Returns how many were deleted.
 */
export async function sweepUnreferencedFiles(
  store: Pick<Store, 'listReferencedFiles'>,
  roots: readonly string[],
  now: Date,
): Promise<number> {
  const referenced = new Set((await store.listReferencedFiles()).map((p) => path.resolve(p)));
  let deleted = 0;
  for (const root of roots) {
    for await (const file of regularFiles(path.resolve(root))) {
      if (referenced.has(file.path) || now.getTime() - file.mtimeMs < UNREFERENCED_GRACE_MS) continue;
      await unlink(file.path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      deleted++;
    }
  }
  return deleted;
}

async function* regularFiles(dir: string): AsyncGenerator<{ path: string; mtimeMs: number }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* regularFiles(full);
    else if (entry.isFile()) {
      // Temporary files of a write in progress (`.name.pid.tmp`) are the writer's to finish.
      if (entry.name.endsWith('.tmp')) continue;
      const info = await lstat(full);
      yield { path: full, mtimeMs: info.mtimeMs };
    }
  }
}
