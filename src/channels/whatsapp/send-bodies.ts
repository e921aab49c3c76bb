import type { WhatsAppTemplate } from './config-schema';

/** Request bodies of POST /{phone-number-id}/messages (reference §4). Pure. */

export interface SendResponse {
  messages?: Array<{ id?: string }>;
}

export function textMessage(to: string, body: string): unknown {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body } };
}

/** Template parameters may not hold line breaks, tabs or more than four spaces in a row. */
export function templateMessage(to: string, template: WhatsAppTemplate, values: { ticketNumber: string }): unknown {
  const parameters = template.parameters.map((name) => ({
    type: 'text',
    text: values[name].replace(/\s+/g, ' ').trim().slice(0, 1000),
  }));
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language, policy: 'deterministic' },
      ...(parameters.length ? { components: [{ type: 'body', parameters }] } : {}),
    },
  };
}

/** A file uploaded with POST /{phone-number-id}/media, sent by its media id; a document keeps its name. */
export function mediaMessage(
  to: string,
  type: 'image' | 'document' | 'audio' | 'video',
  mediaId: string,
  filename: string,
): unknown {
  const media = type === 'document' ? { id: mediaId, filename: filename.slice(0, 240) } : { id: mediaId };
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type, [type]: media };
}
