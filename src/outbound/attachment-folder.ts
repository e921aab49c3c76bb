import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Outgoing mail carries files only from the service's own attachment folders. A job's `storedAt` is data
 * (a ticket record, a Redis job), never an instruction: one that points elsewhere (`/proc/self/environ`,
 * `../`, a symlink out, a URL nodemailer would fetch) is dropped, and the caller records why.
 */
export class AttachmentFolders {
  constructor(private readonly roots: readonly string[]) {}

  /** The files whose real path is a regular file inside a root (given as real paths), and those refused. */
  async filter<T extends { filename: string; path: string }>(
    files: readonly T[],
  ): Promise<{ allowed: T[]; refused: T[] }> {
    const roots = (await Promise.all(this.roots.map((root) => realpath(root).catch(() => undefined)))).filter(
      (r): r is string => r !== undefined,
    );
    const allowed: T[] = [];
    const refused: T[] = [];
    for (const file of files) {
      const real = await this.resolve(file.path, roots);
      if (real) allowed.push({ ...file, path: real });
      else refused.push(file);
    }
    return { allowed, refused };
  }

  private async resolve(file: string, roots: string[]): Promise<string | undefined> {
    if (!path.isAbsolute(file) || /^[a-z][a-z0-9+.-]*:/i.test(file)) return undefined;
    const real = await realpath(file).catch(() => undefined);
    if (!real || !roots.some((root) => real.startsWith(root + path.sep))) return undefined;
    const info = await stat(real).catch(() => undefined);
    return info?.isFile() ? real : undefined;
  }
}
