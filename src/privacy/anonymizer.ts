import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { anonymizeTicket, storedFilesOf } from '../domain/anonymize';
import type { AnonymizationReason, Ticket } from '../domain/complaint';
import type { AttachmentFolders } from '../outbound/attachment-folder';
import type { Store } from '../store/store';

export interface AnonymizeOutcome {
  /** The tickets anonymized now (as they were before); one anonymized earlier is skipped, not counted. */
  anonymized: Ticket[];
  filesDeleted: number;
}

/**
 * Removes tickets' personal data: each ticket in one store write (marked, so a repeat writes nothing),
 * then the stored files no record names any more. Files are content-addressed (the same scan sent
 * twice is stored once), so a file another ticket still names stays. A crash between the two steps
 * leaves files that nothing names: the nightly sweep of unreferenced files deletes them.
 */
export class Anonymizer {
  constructor(
    private readonly store: Store,
    private readonly folders: AttachmentFolders,
  ) {}

  async anonymize(tickets: readonly Ticket[], reason: AnonymizationReason, at: Date): Promise<AnonymizeOutcome> {
    const anonymized: Ticket[] = [];
    const files = new Set<string>();
    for (const ticket of tickets) {
      if (ticket.anonymized) continue;
      if (!(await this.store.replaceWithAnonymized(anonymizeTicket(ticket, at.toISOString(), reason)))) continue;
      anonymized.push(ticket);
      for (const file of storedFilesOf(ticket)) files.add(file);
    }
    return { anonymized, filesDeleted: files.size ? await this.deleteUnreferenced([...files]) : 0 };
  }

  /** Deletes those of `files` that nothing names and that lie inside the attachment folders (a path is data, not an order). */
  private async deleteUnreferenced(files: string[]): Promise<number> {
    const referenced = new Set((await this.store.listReferencedFiles()).map((p) => path.resolve(p)));
    const candidates = files
      .map((file) => path.resolve(file))
      .filter((file) => !referenced.has(file))
      .map((file) => ({ filename: 'lampiran', path: file }));
    const { allowed } = await this.folders.filter(candidates);
    let deleted = 0;
    for (const file of allowed) {
      try {
        await unlink(file.path);
        deleted++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return deleted;
  }
}
