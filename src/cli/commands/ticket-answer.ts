import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../../config/schema';
import type { Attachment } from '../../domain/complaint';
import { answerOutcome, readAskMark } from '../../domain/ticket-life';
import { sniffContentType } from '../../lib/content-type-sniff';
import { queueEffect, withTicket } from './ticket';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../lib/private-files';

/**
 * `aduan ticket answer`: the second way for staff to answer a citizen, for those without the team
 * mailbox. The answer is recorded as a staff reply by the operator (the OS user running the command:
 * whoever can run it on the server is trusted as staff) and relayed by the same `relay` effect as a
 * verified mail answer, so it goes out once and resolves the ticket, or, with `--ask` (or a first line
 * `#tanya`), leaves it waiting on the citizen.
 */

export interface AnswerOptions {
  text?: string;
  file?: string;
  attach?: string[];
  /** Default: os.userInfo().username. */
  operator?: string;
  /** The answer asks the citizen for something (as a first line `#tanya` does): the ticket waits on them. */
  ask?: boolean;
}

const MB = 1024 * 1024;

export async function runTicketAnswer(
  config: AppConfig,
  ticketNumber: string,
  options: AnswerOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  if ((options.text === undefined) === (options.file === undefined)) {
    err.write('berikan tepat satu dari --text atau --file\n');
    return 2;
  }
  let written: string;
  try {
    written = (options.text ?? (await readFile(options.file!, 'utf8'))).trim();
  } catch (error) {
    err.write(`berkas jawaban tidak dapat dibaca: ${(error as Error).message}\n`);
    return 2;
  }
  const ask = answerOutcome({ text: written, ...(options.ask ? { askFlag: true } : {}) }) === 'ask';
  const text = readAskMark(written).text;
  if (!text) {
    err.write('jawaban kosong; tidak ada yang dikirim\n');
    return 2;
  }
  const maxBytes = config.channels.email?.attachments.maxBytes ?? 10 * MB;
  const folder = path.resolve(config.service.dataDir, 'attachments', 'answers');
  const attachments: Attachment[] = [];
  for (const file of options.attach ?? []) {
    const stored = await storeAttachment(file, folder, maxBytes).catch((error: Error) => error);
    if (stored instanceof Error) {
      err.write(`lampiran ${file}: ${stored.message}\n`);
      return 2;
    }
    attachments.push(stored);
  }
  const operator = options.operator ?? os.userInfo().username;
  return withTicket(config, ticketNumber, err, async (store, ticket) => {
    const ref = `cli-answer-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    await store.appendHistory(ticket.id, {
      at: new Date().toISOString(),
      event: 'staff-reply',
      ref,
      note: text.slice(0, 20_000),
      by: `operator:${operator}`,
      ...(attachments.length ? { attachments } : {}),
      ...(ask ? { ask: true as const } : {}),
    });
    try {
      await queueEffect(config, { ticketId: ticket.id, effects: ['relay'], ref });
    } catch (error) {
      err.write(
        `jawaban tercatat (${ref}), tetapi pengirimannya belum dapat dijadwalkan ` +
          `(${(error as Error).message}); hubungi admin\n`,
      );
      return 1;
    }
    out.write(
      `${ask ? 'pertanyaan' : 'jawaban'} untuk tiket ${ticket.ticketNumber} dicatat atas nama ${operator} ` +
        `dan dikirim kepada pelapor lewat ${ticket.channel}` +
        `${attachments.length ? ` dengan ${attachments.length} lampiran` : ''} (sekali)` +
        `${ask ? '; tiket menunggu tanggapan warga (batas waktu dihentikan sementara)' : ''}\n`,
    );
    return 0;
  });
}

/** Same as intake: size-capped, content-addressed in the service's attachment folder. */
async function storeAttachment(file: string, folder: string, maxBytes: number): Promise<Attachment> {
  const info = await stat(file);
  if (!info.isFile()) throw new Error('bukan berkas biasa');
  if (info.size > maxBytes)
    throw new Error(`ukuran ${(info.size / MB).toFixed(1)} MB melebihi batas ${(maxBytes / MB).toFixed(1)} MB`);
  const content = await readFile(file);
  const sha256 = createHash('sha256').update(content).digest('hex');
  const storedAt = path.join(folder, sha256.slice(0, 2), sha256);
  await ensurePrivateDir(path.dirname(storedAt));
  // Unpredictable and created exclusively: nobody can plant a link at the name before we write.
  const temp = `${storedAt}.${randomBytes(8).toString('hex')}.tmp`;
  await writeFile(temp, content, { flag: 'wx', mode: PRIVATE_FILE_MODE });
  await rename(temp, storedAt);
  const filename =
    path
      .basename(file)
      .replace(/[\u0000-\u001f\u007f]+/g, '')
      .slice(-255) || 'lampiran';
  return {
    filename,
    contentType: sniffContentType(content, path.extname(file)),
    size: content.length,
    sha256,
    storedAt,
  };
}
