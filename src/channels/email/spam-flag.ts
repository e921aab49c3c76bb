/** Whether the receiving server marked a mail as spam (SpamAssassin, rspamd and Gmail-side filters write these). */

export interface SpamRule {
  flagHeader: string;
  flagValue: string;
  scoreHeader?: string | undefined;
  scoreThreshold?: number | undefined;
}

/** `X-Spam-Flag: YES` or a score at or over the threshold → what was seen; otherwise undefined. */
export function spamVerdict(headers: ReadonlyMap<string, string>, rule: SpamRule): string | undefined {
  const flag = headers.get(rule.flagHeader.toLowerCase())?.trim();
  if (flag !== undefined && flag.toLowerCase() === rule.flagValue.toLowerCase())
    return `${rule.flagHeader}: ${flag.slice(0, 40)}`;
  if (rule.scoreHeader && rule.scoreThreshold !== undefined) {
    const text = headers.get(rule.scoreHeader.toLowerCase())?.trim() ?? '';
    const score = Number.parseFloat(/^-?\d+(?:\.\d+)?/.exec(text)?.[0] ?? 'NaN');
    if (Number.isFinite(score) && score >= rule.scoreThreshold) return `${rule.scoreHeader}: ${score}`;
  }
  return undefined;
}
