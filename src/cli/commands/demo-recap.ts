import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../../config/schema';
import type { Ticket } from '../../domain/complaint';
import { monthsBefore } from '../../domain/recurrence';
import { officeDate } from '../../domain/sla';
import { buildRecapReport, type RecapReport } from '../../report/recap-report';
import type { Store } from '../../store/store';

/**
 * The demo's recap: the sample tickets are this month's; three earlier months are seeded as history
 * (fewer tickets of the same kinds, two from the contacts of this month's) so the recap's recurring problems have
 * something to compare with, and last month gets one follow-up plan so its carried status shows. The
 * seeded tickets are imported history (`historicalImport`): counted, never answered or timed.
 */
export const DEMO_HISTORY_IMPORT = 'demo-previous-months';

const DAY_MS = 86_400_000;

function seedFrom(
  model: Ticket,
  receivedAt: string,
  n: number,
  keepContact: boolean,
): Parameters<Store['insertTicket']>[0] {
  return {
    channel: model.channel,
    sourceId: `demo-history-${n}`,
    references: [],
    receivedAt,
    complainant: keepContact ? model.complainant : {},
    text: '(riwayat contoh untuk demo rekap)',
    attachments: [],
    autoReplyAllowed: false,
    meta: {},
    status: 'resolved',
    // Last month's tickets carry only the first evidence phrase: the others "rise" this month.
    classification: { ...model.classification, evidence: model.classification.evidence.slice(0, 1) },
    targetMinutes: model.targetMinutes,
    dueAt: receivedAt,
    team: model.team,
    history: [
      { at: receivedAt, event: 'received' },
      { at: new Date(Date.parse(receivedAt) + 3_600_000).toISOString(), event: 'resolved', note: 'riwayat contoh' },
    ],
    historicalImport: DEMO_HISTORY_IMPORT,
  };
}

/** Seeds the earlier months, builds this month's recap and writes it beside the outbox; returns it and its files. */
export async function writeDemoRecap(
  store: Store,
  config: AppConfig,
  configDir: string,
  workDir: string,
  now: Date,
): Promise<{ files: string[]; report?: RecapReport }> {
  const timeZone = config.service.timeZone;
  const current = (await store.listTickets({})).filter((t) => t.historicalImport === undefined);
  if (current.length === 0) return { files: [] };
  const firstDay = current.map((t) => officeDate(t.receivedAt, timeZone)).sort()[0]!;
  const month = firstDay.slice(0, 7);
  const period = { from: `${month}-01`, to: officeDate(now.toISOString(), timeZone) };
  const byKind = new Map<string, Ticket[]>();
  for (const t of current) byKind.set(t.classification.category, [...(byKind.get(t.classification.category) ?? []), t]);

  let n = 0;
  const earlier = monthsBefore(month, 3);
  for (const [back, earlierMonth] of earlier.entries()) {
    for (const [kindIndex, tickets] of [...byKind.values()].entries()) {
      // Fewer than now: about a third last month, less before; a kind with one ticket now stays flat.
      const count = tickets.length === 1 ? 1 : Math.max(0, Math.floor(tickets.length / (3 + back)));
      for (let i = 0; i < count; i++) {
        const model = tickets[i % tickets.length]!;
        // The last days of last month, so a citizen writing again now is within the 30-day window.
        const day = Date.parse(`${earlierMonth.to}T03:00:00Z`) - (i % 5) * DAY_MS;
        await store.insertTicket(
          seedFrom(model, new Date(day).toISOString(), ++n, back === 0 && i === 0 && kindIndex < 2),
          Number(earlierMonth.from.slice(0, 4)),
        );
      }
    }
  }
  const lastMonth = earlier[0]!.from.slice(0, 7);
  const [someKind] = [...byKind.keys()];
  await store.saveFollowUpPlan({
    period: lastMonth,
    problem: `missed-target:${someKind}`,
    who: 'Kepala Bidang Pelayanan Pendaftaran Penduduk',
    due: `${month}-05`,
    status: 'open',
    action: 'Tambah petugas pada jam sibuk',
    updatedAt: new Date(Date.parse(`${lastMonth}-01T00:00:00Z`) + 40 * DAY_MS).toISOString(),
    updatedBy: 'operator:demo',
  });

  const report = await buildRecapReport(store, config, { ...period, now, configDir });
  const files = [path.join(workDir, report.filenames.html), path.join(workDir, report.filenames.csv)];
  await writeFile(files[0]!, report.html);
  await writeFile(files[1]!, report.csv);
  return { files, report };
}
