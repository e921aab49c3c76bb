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

/** Meta's limits on an interactive list: body 1,024 characters, button 20, row title 24. */
const LIST_BODY = 1024;
const LIST_BUTTON = 20;
const ROW_TITLE = 24;

/**
 * The survey invitation inside the 24-hour window: the text with the link, and a list of the four overall
 * answers (reply buttons allow only three). A tapped row comes back as `interactive.list_reply.id`
 * `skm:overall:<score>` (see domain/survey-invitation readQuickAnswer).
 */
export function surveyListMessage(to: string, text: string, answers: readonly string[]): unknown {
  const rows = answers
    .map((label, i) => ({ id: `skm:overall:${i + 1}`, title: `${i + 1} - ${label}`.slice(0, ROW_TITLE) }))
    .reverse();
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: text.slice(0, LIST_BODY) },
      action: { button: 'Beri penilaian'.slice(0, LIST_BUTTON), sections: [{ title: 'Penilaian', rows }] },
    },
  };
}

/**
 * The survey invitation outside the window: an approved UTILITY template whose URL button ends in `{{1}}`,
 * filled with the link's token (the template fixes `<publicBaseUrl><path>/`).
 */
export function surveyTemplateMessage(
  to: string,
  template: WhatsAppTemplate,
  values: { ticketNumber: string },
  urlSuffix: string,
): unknown {
  const body = templateMessage(to, template, values) as { template: { components?: unknown[] } };
  const button = { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: urlSuffix }] };
  body.template.components = [...(body.template.components ?? []), button];
  return body;
}
