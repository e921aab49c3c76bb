import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Clock } from '../../domain/clock';
import type { Store } from '../../store/store';
import type { CallCenterConfig } from './config-schema';

/** Whether a watched source (folder + file patterns) is being read for the first time, and as which import. */
export interface SourceState {
  state: 'importing' | 'live';
  importId: string;
}

/**
 * First-read bookkeeping of the call-center watcher. A source is the folder with its file patterns: a new
 * folder or pattern is a new source. Its marker is written before the first row is read (`importing`,
 * with a stable import id, so a restart mid-way goes on with the same import) and set `live` once a
 * complete pass has been handed over and the admins' summary is done. Files that already have a
 * checkpoint were read live before: only files read from their start belong to the import.
 */
export class SourceHistory {
  private readonly key: string;
  private readonly hash: string;

  constructor(
    private readonly store: Store,
    private readonly config: CallCenterConfig,
    private readonly clock: Clock,
  ) {
    this.hash = sourceHash(config);
    this.key = `callcenter:${config.name}:source:${this.hash}`;
  }

  async load(): Promise<SourceState> {
    const saved = await this.store.getCursor(this.key);
    if (saved) return JSON.parse(saved) as SourceState;
    const started: SourceState = {
      state: 'importing',
      // Unique per source and start: a file of another source never counts as part of this import.
      importId: `${this.config.name}:${this.hash}@${this.clock.now().toISOString()}`,
    };
    await this.store.setCursor(this.key, JSON.stringify(started));
    return started;
  }

  async markLive(importId: string): Promise<void> {
    await this.store.setCursor(this.key, JSON.stringify({ state: 'live', importId } satisfies SourceState));
  }
}

function sourceHash(config: CallCenterConfig): string {
  const { folder, files } = config;
  return createHash('sha256')
    .update(JSON.stringify([path.resolve(folder), files.csv, files.jsonl]))
    .digest('hex')
    .slice(0, 16);
}
