/**
 * What a transport that sends one message as several platform calls (a text, then each file) has already
 * sent in earlier attempts of the same effect. Recorded durably per part, so a retry after a partial send
 * (a crash, a transient failure after the first file) sends only what is still missing.
 */
export interface DeliveryProgress {
  /** Whether an earlier attempt recorded this part as sent. */
  sent(part: string): Promise<boolean>;
  /** Records a part as sent (or as deliberately not sent), with a short description. */
  record(part: string, detail: string): Promise<void>;
  /** Something staff should see on the ticket about this delivery (Bahasa Indonesia): a file not sent, and why. */
  note(text: string): void;
}
