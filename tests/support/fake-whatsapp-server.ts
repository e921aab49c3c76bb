import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the WhatsApp Business Cloud API, behaving as documented in
 * /work/shared/reference/whatsapp-cloud-api.md: POST /{version}/{phone-number-id}/messages with the
 * Bearer token, the 24-hour customer-service window (a text to a citizen who has not written within 24 h
 * is refused with 131047; a template is allowed only when approved), Graph error payloads with the
 * documented codes, injected faults and token expiry (190). It also builds signed webhook deliveries.
 */

export interface SentMessage {
  phoneNumberId: string;
  to: string;
  type: string;
  text?: string;
  /** A file sent by its media id (image, document, audio, video). */
  media?: { id: string; mime: string; bytes: number; filename?: string };
  template?: { name: string; language: string; parameters: string[]; buttonParameters?: string[] };
  /** An interactive list: its text and its rows. */
  list?: { body: string; rows: Array<{ id: string; title: string }> };
  wamid: string;
  at: number;
}

export interface Fault {
  code: number;
  status?: number;
  message?: string;
  retryAfterSeconds?: number;
}

interface SendBody {
  messaging_product?: unknown;
  to?: unknown;
  type?: unknown;
  text?: { body?: unknown };
  image?: { id?: unknown };
  document?: { id?: unknown; filename?: unknown };
  audio?: { id?: unknown };
  video?: { id?: unknown };
  template?: {
    name?: unknown;
    language?: { code?: unknown };
    components?: Array<{ type?: string; parameters?: Array<{ text: string }> }>;
  };
  interactive?: {
    type?: unknown;
    body?: { text?: unknown };
    action?: { button?: unknown; sections?: Array<{ rows?: Array<{ id?: unknown; title?: unknown }> }> };
  };
}

const WINDOW_MS = 24 * 3_600_000;
const MB = 1024 * 1024;

/** Meta's supported media types and their size limits ("Supported media types"; reference §3). */
const UPLOAD_LIMITS: Record<string, { type: string; maxBytes: number }> = {
  'image/jpeg': { type: 'image', maxBytes: 5 * MB },
  'image/png': { type: 'image', maxBytes: 5 * MB },
  'audio/aac': { type: 'audio', maxBytes: 16 * MB },
  'audio/amr': { type: 'audio', maxBytes: 16 * MB },
  'audio/mpeg': { type: 'audio', maxBytes: 16 * MB },
  'audio/mp4': { type: 'audio', maxBytes: 16 * MB },
  'audio/ogg': { type: 'audio', maxBytes: 16 * MB },
  'video/mp4': { type: 'video', maxBytes: 16 * MB },
  'video/3gpp': { type: 'video', maxBytes: 16 * MB },
  'application/pdf': { type: 'document', maxBytes: 100 * MB },
  'text/plain': { type: 'document', maxBytes: 100 * MB },
  'application/msword': { type: 'document', maxBytes: 100 * MB },
  'application/vnd.ms-excel': { type: 'document', maxBytes: 100 * MB },
  'application/vnd.ms-powerpoint': { type: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { type: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { type: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    type: 'document',
    maxBytes: 100 * MB,
  },
  'image/webp': { type: 'sticker', maxBytes: 500 * 1024 },
};

export class FakeWhatsAppServer {
  readonly sent: SentMessage[] = [];
  /** Every request, answered or refused: method, path, status. */
  readonly calls: Array<{ method: string; path: string; status: number; code?: number }> = [];
  private readonly lastInbound = new Map<string, number>();
  private readonly faults: Fault[] = [];
  private tokenValid = true;
  private readonly media = new Map<string, { bytes: Buffer; mime: string; sha256: string }>();
  /** Files uploaded with POST /{phone-number-id}/media, by media id. */
  readonly uploads = new Map<string, { bytes: Buffer; mime: string; filename: string }>();
  private readonly uploadFaults: Array<Fault | 'pass'> = [];
  private lookupFailures = 0;
  private expireNextUrls = 0;
  private sequence = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: { accessToken: string; phoneNumberIds: string[]; templates: string[] },
  ) {}

  static async start(options: { accessToken: string; phoneNumberIds: string[]; templates?: string[] }) {
    const holder: { fake?: FakeWhatsAppServer } = {};
    const server = createServer((req, res) => void holder.fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.fake = new FakeWhatsAppServer(server, `http://127.0.0.1:${port}`, { templates: [], ...options });
    return holder.fake;
  }

  /** The citizen wrote to us at `at`: their 24-hour window is open from then. */
  citizenWrote(waId: string, at = Date.now()): void {
    this.lastInbound.set(waId, Math.max(this.lastInbound.get(waId) ?? 0, at));
  }

  /** The citizen last wrote more than 24 hours ago. */
  windowClosed(waId: string): void {
    this.lastInbound.set(waId, Date.now() - WINDOW_MS - 3_600_000);
  }

  /** The next media uploads fail with these errors, one each (`pass`: that upload succeeds). */
  failNextUpload(...faults: Array<Fault | 'pass'>): void {
    this.uploadFaults.push(...faults);
  }

  /** The next sends fail with these errors, one each. */
  failNext(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** A file a citizen sent: GET /{media-id} gives a URL valid for five minutes, GET on it the bytes. */
  addMedia(id: string, bytes: Buffer, mime: string, sha256 = createHash('sha256').update(bytes).digest('hex')): void {
    this.media.set(id, { bytes, mime, sha256 });
  }

  /** The next `count` media lookups answer 503. */
  failMediaLookups(count: number): void {
    this.lookupFailures += count;
  }

  /** The next `count` media URLs have expired by the time they are downloaded. */
  expireNextMediaUrls(count: number): void {
    this.expireNextUrls += count;
  }

  expireToken(): void {
    this.tokenValid = false;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', this.url).pathname;
    const answer = (status: number, body: unknown, code?: number, headers: Record<string, string> = {}) => {
      this.calls.push({ method: req.method ?? '', path, status, ...(code !== undefined ? { code } : {}) });
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const error = (status: number, code: number, message: string, headers?: Record<string, string>) =>
      answer(status, { error: { message, type: 'OAuthException', code, fbtrace_id: 'Afake' } }, code, headers);

    if (!this.tokenValid || req.headers.authorization !== `Bearer ${this.options.accessToken}`)
      return error(401, 190, 'Error validating access token: Session has expired');
    if (req.method === 'GET') return this.mediaCall(path, new URL(req.url ?? '/', this.url), answer, error, res);
    const upload = /^\/v\d+\.\d+\/(\d+)\/media$/.exec(path);
    if (req.method === 'POST' && upload) return this.upload(upload[1]!, req, Buffer.concat(chunks), answer, error);
    const match = /^\/v\d+\.\d+\/(\d+)\/messages$/.exec(path);
    if (req.method !== 'POST' || !match) return error(400, 100, 'Unsupported request');
    const phoneNumberId = match[1]!;
    if (!this.options.phoneNumberIds.includes(phoneNumberId)) return error(400, 100, 'Unknown phone number id');
    const fault = this.faults.shift();
    if (fault)
      return error(
        fault.status ?? 400,
        fault.code,
        fault.message ?? `fault ${fault.code}`,
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      );
    let body: SendBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SendBody;
    } catch {
      return error(400, 100, 'Invalid JSON');
    }
    if (body.messaging_product !== 'whatsapp' || typeof body.to !== 'string')
      return error(400, 100, 'Invalid parameter');
    const to = body.to as string;
    const message: SentMessage = { phoneNumberId, to, type: String(body.type), wamid: '', at: Date.now() };
    if (body.type === 'text') {
      const text = body.text?.body;
      if (typeof text !== 'string' || [...text].length > 4096) return error(400, 100, 'Invalid text body');
      const last = this.lastInbound.get(to);
      if (last === undefined || Date.now() - last > WINDOW_MS)
        return error(
          400,
          131047,
          'Re-engagement message: more than 24 hours have passed since the recipient last replied',
        );
      message.text = text;
    } else if (body.type === 'template') {
      const name = String(body.template?.name);
      if (!this.options.templates.includes(name)) return error(404, 132001, `Template name does not exist: ${name}`);
      const components = body.template?.components ?? [];
      const parameters = (components.find((c) => c.type === 'body')?.parameters ?? []).map((p) => p.text);
      const button = components.find((c) => c.type === 'button');
      message.template = {
        name,
        language: String(body.template?.language?.code),
        parameters,
        ...(button ? { buttonParameters: (button.parameters ?? []).map((p) => p.text) } : {}),
      };
    } else if (['image', 'document', 'audio', 'video'].includes(String(body.type))) {
      const type = String(body.type) as 'image' | 'document' | 'audio' | 'video';
      const id = body[type]?.id;
      const uploaded = typeof id === 'string' ? this.uploads.get(id) : undefined;
      if (!uploaded) return error(400, 131053, 'Media upload error: media id not found');
      if (UPLOAD_LIMITS[uploaded.mime]?.type !== type)
        return error(400, 131053, `Media upload error: ${uploaded.mime} cannot be sent as ${type}`);
      const last = this.lastInbound.get(to);
      if (last === undefined || Date.now() - last > WINDOW_MS)
        return error(
          400,
          131047,
          'Re-engagement message: more than 24 hours have passed since the recipient last replied',
        );
      const filename = type === 'document' ? body.document?.filename : undefined;
      message.media = {
        id: id as string,
        mime: uploaded.mime,
        bytes: uploaded.bytes.length,
        ...(typeof filename === 'string' ? { filename } : {}),
      };
    } else if (body.type === 'interactive') {
      // A list is a free-form message: only inside the window, within Meta's documented limits.
      const i = body.interactive;
      const rows = (i?.action?.sections ?? []).flatMap((section) => section.rows ?? []);
      const valid =
        i?.type === 'list' &&
        typeof i.body?.text === 'string' &&
        [...i.body.text].length <= 1024 &&
        typeof i.action?.button === 'string' &&
        [...i.action.button].length <= 20 &&
        rows.length >= 1 &&
        rows.length <= 10 &&
        rows.every((r) => typeof r.id === 'string' && typeof r.title === 'string' && [...r.title].length <= 24);
      if (!valid) return error(400, 131009, 'Parameter value is not valid');
      const last = this.lastInbound.get(to);
      if (last === undefined || Date.now() - last > WINDOW_MS)
        return error(
          400,
          131047,
          'Re-engagement message: more than 24 hours have passed since the recipient last replied',
        );
      message.list = {
        body: i!.body!.text as string,
        rows: rows.map((r) => ({ id: r.id as string, title: r.title as string })),
      };
    } else return error(400, 100, 'Unsupported message type');
    message.wamid = `wamid.OUT${String(++this.sequence).padStart(6, '0')}`;
    this.sent.push(message);
    answer(200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to }],
      messages: [{ id: message.wamid }],
    });
  }

  /**
   * POST /{phone-number-id}/media, multipart: `messaging_product=whatsapp`, `type` (the MIME type) and `file`.
   * An unsupported type or a file over its type's limit is refused with 131053, as Meta does.
   */
  private async upload(
    phoneNumberId: string,
    req: IncomingMessage,
    raw: Buffer,
    answer: (status: number, body: unknown) => void,
    error: (status: number, code: number, message: string) => void,
  ): Promise<void> {
    if (!this.options.phoneNumberIds.includes(phoneNumberId)) return error(400, 100, 'Unknown phone number id');
    const fault = this.uploadFaults.shift();
    if (fault && fault !== 'pass')
      return error(fault.status ?? 400, fault.code, fault.message ?? `fault ${fault.code}`);
    let form: FormData;
    try {
      const headers = { 'content-type': String(req.headers['content-type'] ?? '') };
      form = await new Request('http://fake/upload', { method: 'POST', headers, body: raw }).formData();
    } catch {
      return error(400, 100, 'Invalid multipart body');
    }
    const file = form.get('file');
    const mime = form.get('type');
    if (form.get('messaging_product') !== 'whatsapp' || typeof mime !== 'string' || !(file instanceof Blob))
      return error(400, 100, 'Invalid parameter: messaging_product, type and file are required');
    const limit = UPLOAD_LIMITS[mime];
    if (!limit) return error(400, 131053, `Media upload error: unsupported file type ${mime}`);
    const bytes = Buffer.from(await file.arrayBuffer());
    if (bytes.length > limit.maxBytes)
      return error(400, 131053, `Media upload error: ${limit.type} larger than ${limit.maxBytes} bytes`);
    const id = `${9000000000 + ++this.sequence}`;
    this.uploads.set(id, { bytes, mime, filename: file instanceof File ? file.name : '' });
    answer(200, { id });
  }

  private mediaCall(
    path: string,
    url: URL,
    answer: (status: number, body: unknown, code?: number) => void,
    error: (status: number, code: number, message: string) => void,
    res: ServerResponse,
  ): void {
    const lookup = /^\/v\d+\.\d+\/([\w.-]+)$/.exec(path);
    if (lookup) {
      if (this.lookupFailures > 0) {
        this.lookupFailures -= 1;
        return error(503, 2, 'Service temporarily unavailable');
      }
      const media = this.media.get(lookup[1]!);
      if (!media) return error(404, 100, 'Unsupported get request: media not found');
      const expires = this.expireNextUrls > 0 ? (this.expireNextUrls--, Date.now() - 1) : Date.now() + 300_000;
      return answer(200, {
        messaging_product: 'whatsapp',
        url: `${this.url}/media/${lookup[1]}?expires=${expires}`,
        mime_type: media.mime,
        sha256: media.sha256,
        file_size: media.bytes.length,
        id: lookup[1],
      });
    }
    const download = /^\/media\/([\w.-]+)$/.exec(path);
    const media = download ? this.media.get(download[1]!) : undefined;
    if (!media) return error(404, 100, 'Unknown path');
    if (Number(url.searchParams.get('expires')) < Date.now()) {
      this.calls.push({ method: 'GET', path, status: 404 });
      return void res.writeHead(404).end('URL signature expired');
    }
    this.calls.push({ method: 'GET', path, status: 200 });
    res.writeHead(200, { 'content-type': media.mime }).end(media.bytes);
  }
}

/** One citizen message, as the `messages` webhook carries it. */
export interface InboundSpec {
  phoneNumberId: string;
  waId: string;
  name?: string;
  wamid: string;
  /** Unix seconds; now by default. */
  timestamp?: number;
  message: Record<string, unknown>;
}

export function messagesPayload(batches: InboundSpec[][]): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: batches.map((batch, i) => ({
      id: `10200000000000${i}`,
      changes: batch.map((m) => ({
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '6281232383434', phone_number_id: m.phoneNumberId },
          contacts: [{ profile: { name: m.name ?? 'Warga' }, wa_id: m.waId }],
          messages: [
            {
              from: m.waId,
              id: m.wamid,
              timestamp: String(m.timestamp ?? Math.floor(Date.now() / 1000)),
              ...m.message,
            },
          ],
        },
      })),
    })),
  };
}

export function statusesPayload(
  phoneNumberId: string,
  statuses: Array<{ wamid: string; status: string; recipient: string; code?: number }>,
): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102000000000000',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '6281232383434', phone_number_id: phoneNumberId },
              statuses: statuses.map((s) => ({
                id: s.wamid,
                status: s.status,
                timestamp: String(Math.floor(Date.now() / 1000)),
                recipient_id: s.recipient,
                ...(s.code !== undefined ? { errors: [{ code: s.code, title: 'Message failed to send' }] } : {}),
              })),
            },
          },
        ],
      },
    ],
  };
}

export function hubSignature(body: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** POSTs a body to the receiver signed with `appSecret`, as Meta does. */
export async function postSignedWebhook(url: string, payload: unknown, appSecret: string): Promise<number> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(body, appSecret) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}
