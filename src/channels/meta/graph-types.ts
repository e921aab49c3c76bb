/**
 * The parts of Graph API payloads aduan reads. Meta omits fields that have no data, so everything the
 * API may leave out is optional; ids are always strings.
 */

export interface GraphPaging {
  cursors?: { before?: string; after?: string };
  next?: string;
  previous?: string;
}

export interface GraphList<T> {
  data: T[];
  paging?: GraphPaging;
}

/** A participant or author: Messenger gives name (and a PSID@facebook.com email), Instagram a username. */
export interface GraphParticipant {
  id: string;
  name?: string;
  username?: string;
  email?: string;
}

export interface GraphConversation {
  id: string;
  updated_time?: string;
  message_count?: number;
  unread_count?: number;
  participants?: GraphList<GraphParticipant>;
}

export interface GraphAttachment {
  id?: string;
  mime_type?: string;
  name?: string;
  size?: number;
  file_url?: string;
  image_data?: { url?: string; preview_url?: string; width?: number; height?: number };
  video_data?: { url?: string; preview_url?: string; width?: number; height?: number };
}

export interface GraphMessage {
  id: string;
  created_time?: string;
  from?: GraphParticipant;
  to?: GraphList<GraphParticipant>;
  message?: string;
  attachments?: GraphList<GraphAttachment>;
  sticker?: string;
  shares?: GraphList<{ link?: string; name?: string }>;
  is_unsupported?: boolean;
}

export interface GraphErrorBody {
  error?: {
    message?: string;
    type?: string;
    code?: number;
    error_subcode?: number;
    is_transient?: boolean;
    fbtrace_id?: string;
  };
}

export interface SendApiResponse {
  recipient_id?: string;
  message_id?: string;
}

/** One element of `entry[].messaging[]` in a webhook notification (message events only are used). */
export interface WebhookMessagingEvent {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number;
  message?: {
    mid?: string;
    text?: string;
    is_echo?: boolean;
    /** On an echo: the app that sent the message (ours, or Meta's inbox apps when staff typed it there). */
    app_id?: number | string | null;
    is_deleted?: boolean;
    is_unsupported?: boolean;
    quick_reply?: { payload?: string };
    attachments?: Array<{ type?: string; payload?: { url?: string; title?: string; sticker_id?: number } | null }>;
  };
  /** The citizen corrected a message (`message_edits` field); `num_edit` counts the edits. */
  message_edit?: { mid?: string; text?: string; num_edit?: number };
  /** A tap on a button, the persistent menu or "Get Started". */
  postback?: { mid?: string; title?: string; payload?: string };
}

export interface WebhookPayload {
  object?: string;
  entry?: Array<{ id?: string; time?: number; messaging?: WebhookMessagingEvent[]; standby?: WebhookMessagingEvent[] }>;
}
