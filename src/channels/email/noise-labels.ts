/** What staff read for each kind of automated mail (aduan noise list, the internal note on a ticket). */
const NOISE_LABELS: Record<string, string> = {
  'auto-reply': 'balasan otomatis',
  'auto-generated': 'pesan mesin',
  bulk: 'email massal/buletin',
  list: 'email milis',
  'delivery-report': 'laporan pengiriman',
  'forged-own-address': 'alamat kantor dipalsukan',
  'forged-lapor': 'notifikasi LAPOR! tidak terautentikasi',
  'not-lapor': 'bukan notifikasi LAPOR!',
};

export function noiseLabel(kind: string): string {
  return NOISE_LABELS[kind] ?? kind;
}
