import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../../config/schema';
import type { Logger } from '../../lib/logger';
import { classifyError } from '../../lib/errors';
import type { ComplaintSink } from '../complaint-sink';
import type { Store } from '../../store/store';
import { FolderOnceIntake } from '../folder-once-intake';
import { EmailProcessor } from './email-processor';
import { emailSettings } from './settings';

/**
 * Reads every *.eml file in a folder once, through the same parsing and normalizing as IMAP mail
 * (the demo's email samples, or mail exported from a mail program). A file is marked done in the
 * store after it is durably submitted, so a restart continues where it stopped.
 */
export class EmlFolderIntake extends FolderOnceIntake {
  constructor(
    private readonly folder: string,
    private readonly processor: EmailProcessor,
    private readonly store: Store,
    log: Logger,
  ) {
    super('email:eml-folder', log);
  }

  /** The usual way to build one: email settings (own addresses, attachment folder and cap) from the config. */
  static fromConfig(folder: string, config: AppConfig, store: Store, log: Logger): EmlFolderIntake {
    const channelLog = log.child({ channel: 'email:eml-folder' });
    return new EmlFolderIntake(folder, new EmailProcessor(emailSettings(config), store, channelLog), store, channelLog);
  }

  protected async readAll(sink: ComplaintSink): Promise<void> {
    const files = (await readdir(this.folder)).filter((f) => f.toLowerCase().endsWith('.eml')).sort();
    for (const file of files) {
      if (this.stopping) return;
      const full = path.resolve(this.folder, file);
      const cursorKey = `eml:${full}`;
      if (await this.store.getCursor(cursorKey)) continue;
      const raw = await readFile(full);
      try {
        await this.processor.process(raw, { origin: file }, sink);
      } catch (error) {
        if (classifyError(error) !== 'permanent') throw error;
        await this.processor.quarantine({ origin: file }, (error as Error).message, '');
      }
      await this.store.setCursor(cursorKey, 'done');
      this.tracker.success(1);
    }
    this.tracker.success();
  }
}
