/**
 * Who counts as staff when mail arrives for a ticket: only staff can send a solution to a citizen.
 * Anyone else writing to a ticket's reply address adds a follow-up. Pure: the lists come from config.
 */
export interface StaffDirectory {
  /** Lower-case addresses without +tag. */
  addresses: ReadonlySet<string>;
  /** Lower-case mail domains whose every address is staff. */
  domains: ReadonlySet<string>;
}

export function staffDirectory(addresses: readonly string[], domains: readonly string[]): StaffDirectory {
  return { addresses: new Set(addresses.map(plainAddress)), domains: new Set(domains.map((d) => d.toLowerCase())) };
}

export function isStaff(directory: StaffDirectory, address: string | undefined): boolean {
  if (!address) return false;
  const plain = plainAddress(address);
  return directory.addresses.has(plain) || directory.domains.has(plain.slice(plain.lastIndexOf('@') + 1));
}

/** Lower case without a +tag: staff+x@office and Staff@Office are one person. */
function plainAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  return at < 0 ? lower : `${lower.slice(0, at).split('+')[0]}${lower.slice(at)}`;
}

const INTERNAL_MARK = /^\s*#internal\b[:\s]*/i;

/** A reply starting with #internal is a note for colleagues; the mark is removed from what is kept. */
export function readStaffReply(text: string): { internal: boolean; text: string } {
  const internal = INTERNAL_MARK.test(text);
  return { internal, text: (internal ? text.replace(INTERNAL_MARK, '') : text).trim() };
}
