import type { Store } from '../../store/store';

/** How far a log file has been handed over; stored per file identity with Store.setCursor. */
export interface Checkpoint {
  offset: number;
  /** Row number of the next entry. */
  nextRow: number;
  anchorFrom: number;
  anchor: string;
  /** The name the file had when last read (renames are logged). */
  file: string;
  /** The import that started reading this file on a first read (a restart mid-file goes on importing). */
  firstRead?: string;
}

export class Checkpoints {
  constructor(
    private readonly store: Store,
    private readonly channelName: string,
  ) {}

  async load(fileId: string): Promise<Checkpoint | undefined> {
    const saved = await this.store.getCursor(this.key(fileId));
    return saved ? (JSON.parse(saved) as Checkpoint) : undefined;
  }

  async save(fileId: string, checkpoint: Checkpoint): Promise<void> {
    await this.store.setCursor(this.key(fileId), JSON.stringify(checkpoint));
  }

  private key(fileId: string): string {
    return `callcenter:${this.channelName}:${fileId}`;
  }
}
