/** The message ref under which one of our sent wamids points at its ticket (for `statuses`). */
export function outgoingRef(wamid: string): string {
  return `out:${wamid}`;
}
