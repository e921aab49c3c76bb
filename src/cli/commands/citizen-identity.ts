import os from 'node:os';
import type { Command } from 'commander';
import type { AppConfig } from '../../config/schema';
import { describeIdentifier } from '../../domain/citizens/team-mail-lines';
import { identifierKey, parseIdentifier, parseIdentifierKey } from '../../domain/citizens/identifiers';
import { formatJakartaTime } from '../../domain/messages';
import { maskNik } from '../../domain/personal-data';
import type { CitizenRecord } from '../../store/citizen-records';
import type { Store } from '../../store/store';
import { loadCommandConfig } from '../command-config';
import { withCommandStore } from '../command-context';
import { channelLabel, statusLabel } from '../labels';

/**
 * `aduan citizen show|link|unlink`: one citizen across channels (docs/citizens.md). Show prints what
 * staff need to serve the person (phone and email as the team mail shows them, the NIK masked); link and
 * unlink change who counts as the same person, with a reason, audited under the operator's name.
 */
export function registerCitizenIdentityCommands(
  program: Command,
  configOption: (command: Command) => Command,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): void {
  // Other `citizen` subcommands (data-subject requests) live in their own module under the same parent.
  const citizen =
    program.commands.find((c) => c.name() === 'citizen') ??
    program.command('citizen').description('one citizen across channels: records, links, data requests');
  configOption(
    citizen
      .command('show')
      .description("a citizen's records: identifiers, linked records, tickets, link history")
      .argument('<who>', 'record id, phone (08…/+62…), email, NIK, or messenger:|instagram:|whatsapp:|portal:<id>'),
  )
    .option('--json', 'one JSON object (NIK masked)')
    .action(async (who: string, opts: { config: string; json?: boolean }) => {
      process.exitCode = await runCitizenShow(loadCommandConfig(opts.config), who, opts, out, err);
    });
  for (const action of ['link', 'unlink'] as const) {
    configOption(
      citizen
        .command(action)
        .description(
          action === 'link'
            ? 'staff: two records are the same person (their tickets are listed together, a repeat complaint joins the open one)'
            : 'staff: two linked records are not the same person (a matching NIK will not link them again)',
        )
        .argument('<a>', 'record id or identifier')
        .argument('<b>', 'record id or identifier'),
    )
      .requiredOption('--reason <text>', 'why (kept in the audit)')
      .option('--by <name>', 'who decides (default: the login name)')
      .action(async (a: string, b: string, opts: { config: string; reason: string; by?: string }) => {
        process.exitCode = await runCitizenLink(loadCommandConfig(opts.config), action, [a, b], opts, out, err);
      });
  }
}

const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The records `who` names: a record id, or every record carrying the identifier. */
async function resolve(store: Store, who: string): Promise<CitizenRecord[] | string> {
  const text = who.trim();
  if (RECORD_ID.test(text)) {
    const record = await store.getCitizen(text.toLowerCase());
    return record ? [record] : `catatan warga ${text} tidak ditemukan`;
  }
  const id = parseIdentifier(text);
  if (!id) return `"${text.slice(0, 80)}" bukan id catatan, nomor telepon, email, NIK yang sah, atau kanal:id`;
  const records = await store.findCitizen(identifierKey(id));
  return records.length ? records : `tidak ada catatan warga dengan ${describeIdentifier(identifierKey(id))}`;
}

export async function runCitizenShow(
  config: AppConfig,
  who: string,
  options: { json?: boolean },
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  return withCommandStore(config, async (store) => {
    const records = await resolve(store, who);
    if (typeof records === 'string') {
      err.write(`${records}\n`);
      return 1;
    }
    for (const record of records) {
      const linked = (await store.linkedCitizens(record.id)).slice(1);
      const tickets = await store.citizenTickets(record.id);
      const audit = await store.citizenAudit(record.id);
      const identifiers = record.identifiers.map((i) => ({ ...i, key: shown(i.key) }));
      if (options.json) {
        out.write(
          `${JSON.stringify({ id: record.id, createdAt: record.createdAt, identifiers, linked, tickets, audit })}\n`,
        );
        continue;
      }
      const when = (iso: string) => formatJakartaTime(iso, config.service.timeZone);
      const label = (kind: string) => config.categories[kind as keyof AppConfig['categories']]?.label ?? kind;
      out.write(
        [
          `Catatan warga ${record.id} (sejak ${when(record.createdAt)} WIB)`,
          'Pengenal:',
          ...(identifiers.length
            ? identifiers.map((i) => `  ${ROLE_LABELS[i.role].padEnd(8)} ${i.key}`)
            : ['  (tanpa pengenal: pengaduan tanpa kontak atau dari kontak bersama)']),
          `Terhubung dengan: ${linked.length ? linked.join(', ') : '-'}`,
          `Tiket (${tickets.length}):`,
          ...tickets.map(
            (t) =>
              `  ${t.ticketNumber} | ${label(t.category)} | ${statusLabel(t.status)} | ${channelLabel(t.channel)} | ${when(t.receivedAt)}${t.citizenId === record.id ? '' : ` (catatan ${t.citizenId})`}`,
          ),
          ...(audit.length
            ? [
                'Riwayat hubungan:',
                ...audit.map(
                  (e) =>
                    `  ${when(e.at)} ${e.action === 'link' ? 'dihubungkan' : 'dipisahkan'} ${e.a} — ${e.b} oleh ${e.by}: ${e.reason}`,
                ),
              ]
            : []),
          '',
        ].join('\n'),
      );
    }
    return 0;
  });
}

export async function runCitizenLink(
  config: AppConfig,
  action: 'link' | 'unlink',
  who: [string, string],
  options: { reason: string; by?: string },
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const reason = options.reason.trim();
  if (!reason) {
    err.write('--reason wajib diisi\n');
    return 2;
  }
  const by = `operator:${options.by ?? os.userInfo().username}`;
  return withCommandStore(config, async (store) => {
    const ids: string[] = [];
    for (const one of who) {
      const records = await resolve(store, one);
      if (typeof records === 'string') {
        err.write(`${records}\n`);
        return 1;
      }
      if (records.length > 1) {
        err.write(
          `"${one.slice(0, 80)}" ada pada ${records.length} catatan (${records.map((r) => r.id).join(', ')}); sebutkan id catatan\n`,
        );
        return 2;
      }
      ids.push(records[0]!.id);
    }
    const [a, b] = ids as [string, string];
    if (a === b) {
      err.write('keduanya catatan yang sama\n');
      return 2;
    }
    const request = { a, b, reason: reason.slice(0, 1000), by, at: new Date().toISOString() };
    const changed = action === 'link' ? await store.linkCitizens(request) : await store.unlinkCitizens(request);
    out.write(
      changed
        ? `catatan ${a} dan ${b} ${action === 'link' ? 'dihubungkan' : 'dipisahkan'} oleh ${by}\n`
        : `catatan ${a} dan ${b} ${action === 'link' ? 'sudah terhubung' : 'tidak terhubung langsung'}; tidak diubah\n`,
    );
    return 0;
  });
}

const ROLE_LABELS = { primary: 'utama', contact: 'kontak', nik: 'NIK' } as const;

/** An identifier as `show` prints it: the NIK masked, the rest as the team mail shows it. */
function shown(key: string): string {
  const id = parseIdentifierKey(key);
  if (!id) return key;
  return id.kind === 'nik' ? `nik:${maskNik(id.value)}` : key;
}
