import type { AppConfig } from '../../config/schema';
import { formatJakartaTime } from '../../domain/messages';
import { maskAllPersonalData } from '../../domain/personal-data';
import { terminalSafe } from '../../lib/terminal-safe';
import type { QuarantineRecord } from '../../store/store';
import { withCommandStore } from '../command-context';
import { channelLabel, shorten } from '../labels';

/**
 * `aduan quarantine list|show`: records that could not become tickets (invalid, unreadable, poison),
 * with the reason; they are kept, never dropped. Reads the store only. Personal data is masked.
 */

export async function runQuarantineList(
  config: AppConfig,
  options: { limit?: string; json?: boolean },
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  if (options.limit !== undefined && !/^[1-9]\d{0,5}$/.test(options.limit)) {
    err.write(`aduan quarantine list: --limit "${options.limit}" bukan angka 1–999999\n`);
    return 2;
  }
  const records = await withCommandStore(config, (store) => store.listQuarantine(Number(options.limit ?? 50)));
  if (options.json) {
    for (const r of records) out.write(JSON.stringify({ ...r, payload: maskAllPersonalData(r.payload) }) + '\n');
    return 0;
  }
  if (records.length === 0) {
    out.write('karantina kosong: semua data masuk menjadi tiket\n');
    return 0;
  }
  const tz = config.service.timeZone;
  out.write(`${records.length} data di karantina (terbaru dulu; lihat isinya: aduan quarantine show <id>):\n`);
  for (const r of records) {
    const source = r.sourceId ? ` ${shorten(r.sourceId, 60)}` : '';
    out.write(
      safe(`  ${r.id}  ${formatJakartaTime(r.at, tz)} WIB  ${channelLabel(r.channel)}${source}\n`) +
        safe(`    alasan: ${shorten(r.reason.replace(/\s+/g, ' '), 160)}\n`),
    );
  }
  return 0;
}

export async function runQuarantineShow(
  config: AppConfig,
  id: string,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const record = await withCommandStore(config, async (store) =>
    (await store.listQuarantine(1_000_000)).find((r) => r.id === id.trim()),
  );
  if (!record) {
    err.write(`data karantina ${id} tidak ditemukan (lihat: aduan quarantine list)\n`);
    return 1;
  }
  out.write(describe(config, record) + '\n');
  return 0;
}

function describe(config: AppConfig, r: QuarantineRecord): string {
  return safe(
    [
      `Data      : ${r.id}`,
      `Waktu     : ${formatJakartaTime(r.at, config.service.timeZone)} WIB`,
      `Kanal     : ${channelLabel(r.channel)}`,
      ...(r.sourceId ? [`Sumber    : ${r.sourceId}`] : []),
      `Alasan    : ${r.reason}`,
      '',
      'Isi (seperti diterima):',
      pretty(r.payload),
    ].join('\n'),
  );
}

function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/** NIK, KK and phone numbers masked; control characters shown escaped. */
function safe(text: string): string {
  return terminalSafe(maskAllPersonalData(text));
}
