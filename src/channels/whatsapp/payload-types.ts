/** The parts of the Cloud API `messages` webhook we read (reference §2). Every field is untrusted. */

export interface WaMedia {
  id?: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
}

export interface WaMessage {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: unknown };
  image?: WaMedia;
  document?: WaMedia;
  audio?: WaMedia;
  video?: WaMedia;
  sticker?: WaMedia;
  location?: { latitude?: unknown; longitude?: unknown; name?: unknown; address?: unknown };
  contacts?: Array<{ name?: { formatted_name?: unknown }; phones?: Array<{ phone?: unknown }> }>;
  interactive?: {
    type?: string;
    button_reply?: { id?: unknown; title?: unknown };
    list_reply?: { id?: unknown; title?: unknown; description?: unknown };
  };
  button?: { text?: unknown; payload?: unknown };
  reaction?: { message_id?: unknown; emoji?: unknown };
  context?: { from?: unknown; id?: unknown };
  errors?: Array<{ code?: unknown; title?: unknown }>;
}

export interface WaStatus {
  id?: string;
  status?: string;
  timestamp?: string;
  recipient_id?: string;
  errors?: Array<{ code?: unknown; title?: unknown }>;
}

export interface WaContact {
  wa_id?: string;
  user_id?: string;
  profile?: { name?: unknown };
}

export interface WaChangeValue {
  messaging_product?: string;
  metadata?: { phone_number_id?: string; display_phone_number?: string };
  contacts?: WaContact[];
  messages?: WaMessage[];
  statuses?: WaStatus[];
}

export interface WaWebhookPayload {
  object?: string;
  entry?: Array<{ id?: string; changes?: Array<{ field?: string; value?: WaChangeValue }> }>;
}
