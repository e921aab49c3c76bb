import { describeUndeliveredAttachments } from '../../domain/coordination-messages';
import { ticketNumberOfCitizenMailId } from '../../domain/office-mail-ids';
import type { DeliveryProgress } from '../../outbound/delivery-progress';
import type { OutgoingMessage, Transport } from '../../outbound/message';

/** How else a citizen can be reached: the office's mail, and the call-center's SMS gateway when configured. */
export interface OtherRoutes {
  mail?: Transport;
  sms?: Transport;
}

export type OtherRouteKind = 'email' | 'sms';

/** Progress part of a message delivered by another route: a retry does not deliver it twice. */
const PART = 'other-route';

/** Indonesian names of the routes, as the ticket and the citizen read them. */
export const ROUTE_LABELS: Record<OtherRouteKind, string> = { email: 'email', sms: 'SMS' };

/**
 * Delivers a message WhatsApp cannot carry (the 24-hour window closed, no template, or the number is not on
 * WhatsApp) by the citizen's email, else by SMS through the gateway: once (a progress part of the effect),
 * with a first line telling the citizen why it comes this way. Email carries the files; SMS names them.
 */
export class OtherRoute {
  constructor(private readonly routes: OtherRoutes) {}

  /** The route this message would take, if the ticket gave a contact a configured route can reach. */
  pick(message: OutgoingMessage): { kind: OtherRouteKind; to: string; transport: Transport } | undefined {
    const { email, phone } = message.otherContacts ?? {};
    if (email && this.routes.mail) return { kind: 'email', to: email, transport: this.routes.mail };
    if (phone && this.routes.sms) return { kind: 'sms', to: phone, transport: this.routes.sms };
    return undefined;
  }

  /** Delivers by the picked route; undefined when there is none (the caller tells the team instead). */
  async deliver(
    message: OutgoingMessage,
    progress: DeliveryProgress | undefined,
  ): Promise<{ kind: OtherRouteKind; detail: string } | undefined> {
    const route = this.pick(message);
    if (!route) return undefined;
    if (await progress?.sent(`${PART}-${route.kind}`))
      return { kind: route.kind, detail: `${ROUTE_LABELS[route.kind]}: sent by an earlier attempt` };
    const lead =
      'Pesan ini kami kirim lewat ' + ROUTE_LABELS[route.kind] + ' karena belum dapat dikirim lewat WhatsApp.';
    const files = message.attachments ?? [];
    const named =
      route.kind === 'sms' && files.length
        ? `\n\n${describeUndeliveredAttachments(
            ticketNumberOfCitizenMailId(message.id),
            files.map((f) => f.filename),
            'SMS',
          )}`
        : '';
    const { otherContacts: _contacts, ...rest } = message;
    const detail = await route.transport.deliver({
      ...rest,
      channel: route.kind === 'email' ? 'email' : 'call-center',
      to: [route.to],
      text: `${lead}\n\n${message.text}${named}`,
      ...(route.kind === 'email' && files.length ? { attachments: files } : { attachments: [] }),
    });
    await progress?.record(`${PART}-${route.kind}`, detail);
    return { kind: route.kind, detail };
  }
}
