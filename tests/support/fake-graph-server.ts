import { createHmac, randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the Meta Graph API, behaving as documented in
 * /work/shared/reference/graph-api-messaging.md: versioned paths, Page token (Bearer header,
 * access_token query or form field), appsecret_proof checked when an app secret is configured, field
 * selection with nested braces, cursor paging with absolute `next` URLs back to this server,
 * Messenger and Instagram (platform=instagram) conversations newest first, the Send API with the
 * 24-hour window and HUMAN_AGENT, Graph error payloads, usage headers and injected faults. Every call
 * is recorded for assertions.
 */

export type Platform = 'messenger' | 'instagram';

export interface FakeGraphOptions {
  pageId: string;
  pageName?: string;
  igAccountId: string;
  igUsername?: string;
  accessToken: string;
  /** When set, every call must carry a valid appsecret_proof. */
  appSecret?: string;
}

export interface Citizen {
  id: string;
  name?: string;
  username?: string;
}

export interface FakeAttachment {
  id: string;
  mime_type: string;
  name: string;
  size: number;
  kind: 'image' | 'video' | 'audio' | 'file';
}

interface FakeMessage {
  id: string;
  createdMs: number;
  fromId: string;
  text?: string;
  attachments?: FakeAttachment[];
}

interface FakeConversation {
  id: string;
  platform: Platform;
  citizen: Citizen;
  /** Oldest first. */
  messages: FakeMessage[];
}

export interface RecordedCall {
  method: string;
  /** Path after the version, e.g. /104000000000001/conversations. */
  path: string;
  version: string;
  query: Record<string, string>;
  body?: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  status: number;
  errorCode?: number;
  at: number;
}

export interface Fault {
  code?: number;
  subcode?: number;
  message?: string;
  type?: string;
  httpStatus?: number;
  /** Extra response headers (e.g. X-Business-Use-Case-Usage with a regain time). */
  headers?: Record<string, string>;
  /** A body that is not JSON. */
  raw?: string;
  /** Which calls it hits; all when absent. */
  match?: (call: Pick<RecordedCall, 'method' | 'path' | 'query'>) => boolean;
  /** How many calls fail (default 1). */
  times?: number;
}

export interface UsageHeaders {
  app?: { call_count: number; total_time: number; total_cputime: number };
  buc?: Record<
    string,
    Array<{
      type: string;
      call_count: number;
      total_cputime: number;
      total_time: number;
      estimated_time_to_regain_access: number;
    }>
  >;
}

const DAY_MS = 24 * 3_600_000;

/** The app id on echoes of what aduan sent (configure `channels.meta.appId` with it). */
export const OUR_APP_ID = '1517776481860111';
/** The app id on echoes of answers staff typed in the Page inbox (Meta Business Suite, the Instagram app). */
export const INBOX_APP_ID = '263902037430900';

export class FakeGraphServer {
  readonly calls: RecordedCall[] = [];
  private readonly conversations: FakeConversation[] = [];
  private readonly faults: Array<Fault & { remaining: number }> = [];
  private readonly unreachable = new Set<string>();
  private readonly uploads = new Map<string, Buffer>();
  private rateLimits: { readsPerSecond?: number; sendsPerSecond?: number } = {};
  private readonly windowCalls: Record<'read' | 'send', number[]> = { read: [], send: [] };
  private readonly cdnFiles = new Map<string, { bytes: Buffer; expires: number; failures: number }>();
  private usage: UsageHeaders | undefined;
  private tokenProblem: { subcode: number; message: string } | undefined;
  private origin = '';

  private constructor(
    private readonly server: Server,
    readonly options: Required<Omit<FakeGraphOptions, 'appSecret'>> & { appSecret?: string },
  ) {}

  static async start(options: FakeGraphOptions): Promise<FakeGraphServer> {
    const server = createServer();
    const fake = new FakeGraphServer(server, {
      pageName: 'Disdukcapil Kabupaten Dairi',
      igUsername: 'disdukcapilkabupatendairi',
      ...options,
    });
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    fake.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Base URL for `channels.meta.graphBaseUrl`. */
  get url(): string {
    return this.origin;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- scenario controls ----

  /** A citizen writes to the Page (Messenger) or the Instagram account; returns the new message id. */
  addInbound(
    platform: Platform,
    citizen: Citizen,
    text: string | undefined,
    options: { at?: Date | number; attachments?: FakeAttachment[] } = {},
  ): { messageId: string; conversationId: string } {
    let conversation = this.conversations.find((c) => c.platform === platform && c.citizen.id === citizen.id);
    if (!conversation) {
      conversation = {
        id: platform === 'messenger' ? `t_${digits(17)}` : `aWdfZAG1fdGhyZAWQ${token(18)}`,
        platform,
        citizen,
        messages: [],
      };
      this.conversations.push(conversation);
    }
    const message: FakeMessage = {
      id: messageId(platform),
      createdMs:
        options.at === undefined ? Date.now() : typeof options.at === 'number' ? options.at : options.at.getTime(),
      fromId: citizen.id,
      ...(text === undefined ? {} : { text }),
      ...(options.attachments ? { attachments: options.attachments } : {}),
    };
    conversation.messages.push(message);
    conversation.messages.sort((a, b) => a.createdMs - b.createdMs);
    return { messageId: message.id, conversationId: conversation.id };
  }

  /** The next matching calls fail with this Graph error. */
  failNext(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /**
   * Enforce Meta's separate limits from now on: conversation reads (`/conversations`, `/{id}/messages`;
   * Meta: 2 calls/s per account) and Send API calls (Meta: 300/s for text). A call over its limit in the
   * last second fails with (#613) as Meta answers it, and is counted in `limitErrors`.
   */
  enforceRateLimits(limits: { readsPerSecond?: number; sendsPerSecond?: number }): void {
    this.rateLimits = limits;
  }

  readonly limitErrors: Array<{ kind: 'read' | 'send'; at: number }> = [];

  private overLimit(kind: 'read' | 'send'): boolean {
    const max = kind === 'read' ? this.rateLimits.readsPerSecond : this.rateLimits.sendsPerSecond;
    if (max === undefined) return false;
    const now = Date.now();
    const recent = (this.windowCalls[kind] = this.windowCalls[kind].filter((at) => now - at < 1000));
    if (recent.length >= max) {
      this.limitErrors.push({ kind, at: now });
      return true;
    }
    recent.push(now);
    return false;
  }

  /** Usage headers sent with every response from now on (undefined: none). */
  setUsage(usage: UsageHeaders | undefined): void {
    this.usage = usage;
  }

  /** The Page token stops working (190 with this subcode: 463 expired, 460 password changed, 467 logged out). */
  expireToken(subcode = 463): void {
    const messages: Record<number, string> = {
      460: 'Error validating access token: The session has been invalidated because the user changed their password.',
      463: 'Error validating access token: Session has expired.',
      467: 'Error validating access token: The user has not authorized application or the session was invalidated.',
    };
    this.tokenProblem = { subcode, message: messages[subcode] ?? 'Error validating access token.' };
  }

  /** The person blocked the Page: sends to them fail with 551. */
  makeUnreachable(citizenId: string): void {
    this.unreachable.add(citizenId);
  }

  sendCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.method === 'POST' && /\/messages$/.test(c.path));
  }

  /** Messages the Page sent in a conversation (from the Send API), oldest first. */
  sentTo(citizenId: string): Array<{ id: string; text?: string; attachments?: FakeAttachment[] }> {
    const conversation = this.conversations.find((c) => c.citizen.id === citizenId);
    const own = conversation ? this.ownId(conversation.platform) : '';
    return (conversation?.messages ?? [])
      .filter((m) => m.fromId === own)
      .map((m) => ({
        id: m.id,
        ...(m.text === undefined ? {} : { text: m.text }),
        ...(m.attachments ? { attachments: m.attachments } : {}),
      }));
  }

  /** The bytes of a file uploaded with the Send API (by attachment id). */
  uploadedBytes(attachmentId: string): Buffer | undefined {
    return this.uploads.get(attachmentId);
  }

  /** The webhook notification Meta sends for this message (documented `object: page|instagram` shape). */
  webhookPayloadFor(id: string): Record<string, unknown> {
    const found = this.findMessage(id);
    if (!found) throw new Error(`no message ${id}`);
    const { conversation, message } = found;
    const own = this.ownId(conversation.platform);
    const isEcho = message.fromId === own;
    return {
      object: conversation.platform === 'messenger' ? 'page' : 'instagram',
      entry: [
        {
          id: own,
          time: message.createdMs + 123,
          messaging: [
            {
              sender: { id: message.fromId },
              recipient: { id: isEcho ? conversation.citizen.id : own },
              timestamp: message.createdMs,
              message: {
                mid: message.id,
                ...(message.text === undefined ? {} : { text: message.text }),
                ...(isEcho ? { is_echo: true, app_id: Number(OUR_APP_ID) } : {}),
                ...(message.attachments
                  ? {
                      attachments: message.attachments.map((a) => ({
                        type: a.kind,
                        payload: { url: `${this.origin}/cdn/${a.id}` },
                      })),
                    }
                  : {}),
              },
            },
          ],
        },
      ],
    };
  }

  /**
   * A citizen event of another documented shape (a sticker, a story mention, a quick-reply tap, a postback,
   * a message_edit…) as Meta notifies it. A `message` joins the conversation (so replies are in the window)
   * and gets its mid; `standby`: delivered under `entry[].standby` (another app owns the thread).
   */
  citizenNotification(
    platform: Platform,
    citizen: Citizen,
    event: { message?: Record<string, unknown>; postback?: Record<string, unknown>; [key: string]: unknown },
    options: { standby?: boolean; at?: number } = {},
  ): { messageId: string; payload: Record<string, unknown> } {
    const at = options.at ?? Date.now();
    const text = typeof event.message?.text === 'string' ? event.message.text : undefined;
    // Files on our fake CDN are in the conversation too, as polling reads them (the same CDN link).
    const files = (Array.isArray(event.message?.attachments) ? event.message.attachments : []).flatMap(
      (a: { type?: string; payload?: { url?: string } }): FakeAttachment[] => {
        const id = a.payload?.url?.startsWith(`${this.origin}/cdn/`)
          ? new URL(a.payload.url).pathname.split('/').pop()
          : undefined;
        const file = id ? this.cdnFiles.get(id) : undefined;
        if (!id || !file || !['image', 'video', 'audio', 'file'].includes(a.type ?? '')) return [];
        const kind = a.type as FakeAttachment['kind'];
        return [{ id, kind, mime_type: 'application/octet-stream', name: '', size: file.bytes.length }];
      },
    );
    const { messageId: mid } = this.addInbound(platform, citizen, text ?? '', {
      at,
      ...(files.length ? { attachments: files } : {}),
    });
    const own = this.ownId(platform);
    const body = {
      sender: { id: citizen.id },
      recipient: { id: own },
      timestamp: at,
      ...event,
      ...(event.message ? { message: { mid, ...event.message } } : {}),
      ...(event.postback ? { postback: { mid, ...event.postback } } : {}),
    };
    return { messageId: mid, payload: this.notification(platform, body, at, options.standby) };
  }

  /**
   * Staff answer in the Page inbox (Meta Business Suite) or the Instagram app: the message joins the
   * conversation as the Page's, and Meta sends its echo with that app's id (`appId`; ours for our own sends).
   */
  addInboxAnswer(
    platform: Platform,
    citizen: Citizen,
    text: string,
    options: { appId?: string; at?: number; standby?: boolean } = {},
  ): { messageId: string; payload: Record<string, unknown> } {
    const conversation = this.conversations.find((c) => c.platform === platform && c.citizen.id === citizen.id);
    if (!conversation) throw new Error(`no conversation with ${citizen.id}`);
    const at = options.at ?? Date.now();
    const own = this.ownId(platform);
    const message: FakeMessage = { id: messageId(platform), createdMs: at, fromId: own, text };
    conversation.messages.push(message);
    const body = {
      sender: { id: own },
      recipient: { id: citizen.id },
      timestamp: at,
      message: { mid: message.id, text, is_echo: true, app_id: Number(options.appId ?? INBOX_APP_ID) },
    };
    return { messageId: message.id, payload: this.notification(platform, body, at, options.standby) };
  }

  /** The documented envelope of one event (`entry[].messaging[]`, or `standby[]`) for the account of `platform`. */
  notification(platform: Platform, event: unknown, at = Date.now(), standby = false): Record<string, unknown> {
    return {
      object: platform === 'messenger' ? 'page' : 'instagram',
      entry: [{ id: this.ownId(platform), time: at + 123, [standby ? 'standby' : 'messaging']: [event] }],
    };
  }

  // ---- HTTP ----

  /**
   * A file on Meta's CDN behind a signed link that expires after `ttlMs` (then 403, as the CDN answers an
   * expired signature); the first `failures` downloads fail with 503.
   */
  hostFile(bytes: Buffer, options: { ttlMs?: number; failures?: number } = {}): string {
    const id = digits(16);
    const expires = Date.now() + (options.ttlMs ?? 60 * 60_000);
    this.cdnFiles.set(id, { bytes, expires, failures: options.failures ?? 0 });
    return `${this.origin}/cdn/v/t1.15752-9/${id}?_nc_ht=cdn.local&oe=${expires.toString(16)}&oh=${token(24)}`;
  }

  /** Downloads asked of the fake CDN, by outcome. */
  readonly cdnRequests: Array<{ id: string; status: number }> = [];

  private serveCdn(url: URL, res: ServerResponse): void {
    const id = url.pathname.split('/').pop() ?? '';
    const file = this.cdnFiles.get(id);
    const answer = (status: number, body: Buffer | string, type = 'text/plain') => {
      this.cdnRequests.push({ id, status });
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    if (!file) return answer(404, 'Not Found');
    if (Date.now() > file.expires) return answer(403, 'URL signature expired');
    if (file.failures > 0) {
      file.failures -= 1;
      return answer(503, 'Service Unavailable');
    }
    answer(200, file.bytes, 'application/octet-stream');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    if (req.method === 'GET' && url.pathname.startsWith('/cdn/')) return this.serveCdn(url, res);
    const rawBody = await readBody(req);
    const body = req.method === 'POST' ? await parseBody(rawBody, req.headers['content-type']) : undefined;
    const query = Object.fromEntries(url.searchParams);
    const versioned = /^\/(v\d+\.\d+)(\/.*)$/.exec(url.pathname);
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path: versioned?.[2] ?? url.pathname,
      version: versioned?.[1] ?? '',
      query,
      ...(body ? { body } : {}),
      headers: req.headers,
      status: 200,
      at: Date.now(),
    };
    this.calls.push(call);
    const respond = (status: number, payload: unknown, extraHeaders: Record<string, string> = {}) => {
      call.status = status;
      const code = (payload as { error?: { code?: number } } | undefined)?.error?.code;
      if (code !== undefined) call.errorCode = code;
      res.writeHead(status, {
        'content-type': 'application/json; charset=UTF-8',
        'x-fb-trace-id': token(11),
        ...this.usageHeaders(),
        ...extraHeaders,
      });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    const fail = (
      code: number,
      message: string,
      extra: { subcode?: number; type?: string; status?: number; headers?: Record<string, string> } = {},
    ) =>
      respond(
        extra.status ?? (code === 1 || code === 2 ? 500 : 400),
        graphError(code, message, extra.subcode, extra.type),
        extra.headers,
      );

    if (!versioned)
      return fail(2500, 'Unknown path components: a version prefix like /v24.0 is required', {
        type: 'OAuthException',
      });

    const presented =
      bearer(req.headers.authorization) ??
      query.access_token ??
      (typeof body?.access_token === 'string' ? body.access_token : undefined);
    if (!presented)
      return fail(104, 'An access token is required to request this resource.', { type: 'OAuthException' });
    if (presented !== this.options.accessToken)
      return fail(190, 'Invalid OAuth access token - Cannot parse access token', {
        type: 'OAuthException',
        headers: { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token"' },
      });
    if (this.tokenProblem)
      return fail(190, this.tokenProblem.message, { subcode: this.tokenProblem.subcode, type: 'OAuthException' });
    if (this.options.appSecret) {
      const proof =
        query.appsecret_proof ?? (typeof body?.appsecret_proof === 'string' ? body.appsecret_proof : undefined);
      if (!proof)
        return fail(100, 'API calls from the server require an appsecret_proof argument', {
          type: 'GraphMethodException',
        });
      const expected = createHmac('sha256', this.options.appSecret).update(presented).digest('hex');
      if (proof !== expected)
        return fail(100, 'Invalid appsecret_proof provided in the API argument', { type: 'GraphMethodException' });
    }

    const fault = this.faults.find((f) => f.remaining > 0 && (!f.match || f.match(call)));
    if (fault) {
      fault.remaining -= 1;
      if (fault.raw !== undefined) return respond(fault.httpStatus ?? 502, fault.raw, fault.headers);
      return fail(fault.code ?? 2, fault.message ?? defaultMessage(fault.code ?? 2), {
        ...(fault.subcode ? { subcode: fault.subcode } : {}),
        type: fault.type ?? 'OAuthException',
        ...(fault.httpStatus ? { status: fault.httpStatus } : {}),
        ...(fault.headers ? { headers: fault.headers } : {}),
      });
    }

    const segments = call.path.split('/').filter(Boolean);
    const fields = parseFields(query.fields);
    const limitKind = req.method === 'POST' ? 'send' : 'read';
    if (segments.length === 2 && ['conversations', 'messages'].includes(segments[1]!) && this.overLimit(limitKind))
      return fail(613, 'Calls to this api have exceeded the rate limit.', { type: 'OAuthException' });
    if (
      req.method === 'GET' &&
      segments.length === 2 &&
      segments[1] === 'conversations' &&
      segments[0] === this.options.pageId
    ) {
      return respond(200, this.listConversations(url, query, fields));
    }
    if (req.method === 'GET' && segments.length === 2 && segments[1] === 'messages') {
      const conversation = this.conversations.find((c) => c.id === segments[0]);
      if (conversation) return respond(200, this.listMessages(conversation, url, query, fields));
    }
    if (req.method === 'GET' && segments.length === 1) {
      const conversation = this.conversations.find((c) => c.id === segments[0]);
      if (conversation)
        return respond(
          200,
          project(this.conversationJson(conversation, url), fields ?? [{ name: 'id' }, { name: 'updated_time' }], this),
        );
      const found = this.findMessage(segments[0]!);
      if (found) {
        if (!this.readable(found.conversation, found.message))
          return fail(100, 'This message has been deleted.', { subcode: 33, type: 'GraphMethodException' });
        return respond(
          200,
          project(
            this.messageJson(found.conversation, found.message),
            fields ?? [{ name: 'id' }, { name: 'created_time' }],
            this,
          ),
        );
      }
    }
    if (
      req.method === 'POST' &&
      segments.length === 2 &&
      segments[1] === 'messages' &&
      (segments[0] === this.options.pageId || segments[0] === 'me')
    ) {
      const outcome = this.send(body ?? {});
      return 'error' in outcome
        ? fail(outcome.error.code, outcome.error.message, outcome.error)
        : respond(200, outcome);
    }
    return fail(
      100,
      `Unsupported ${call.method.toLowerCase()} request. Object with ID '${segments[0] ?? ''}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      { subcode: 33, type: 'GraphMethodException' },
    );
  }

  private listConversations(url: URL, query: Record<string, string>, fields: FieldSpec[] | undefined): unknown {
    const platform = (query.platform ?? 'messenger').toLowerCase() as Platform;
    const matching = this.conversations
      .filter((c) => c.platform === platform && c.messages.length > 0)
      .filter((c) => !query.user_id || c.citizen.id === query.user_id)
      .sort((a, b) => lastMs(b) - lastMs(a));
    // No since/until on this edge: a client has to walk newest first and stop by itself.
    return this.page(
      matching,
      url,
      query,
      (c) => c.id,
      (c) => project(this.conversationJson(c, url), fields ?? [{ name: 'id' }, { name: 'updated_time' }], this),
    );
  }

  private listMessages(
    conversation: FakeConversation,
    url: URL,
    query: Record<string, string>,
    fields: FieldSpec[] | undefined,
  ): unknown {
    const newestFirst = [...conversation.messages].reverse();
    return this.page(
      newestFirst,
      url,
      query,
      (m) => m.id,
      (m) => {
        const json = this.messageJson(conversation, m);
        // Instagram only details the 20 newest messages; older ones show their id alone.
        return this.readable(conversation, m)
          ? project(json, fields ?? [{ name: 'id' }, { name: 'created_time' }], this)
          : { id: m.id };
      },
    );
  }

  /** Cursor paging: opaque cursors naming an item, absolute `next` back to this server, none on the last page. */
  private page<T>(
    items: T[],
    url: URL,
    query: Record<string, string>,
    idOf: (item: T) => string,
    render: (item: T) => unknown,
  ): unknown {
    const limit = Math.min(100, Math.max(1, Number(query.limit ?? 25)));
    const start = query.after ? items.findIndex((item) => cursorOf(idOf(item)) === query.after) + 1 : 0;
    if (query.after && start === 0) return { data: [] };
    const slice = items.slice(start, start + limit);
    if (slice.length === 0) return { data: [] };
    const paging: Record<string, unknown> = {
      cursors: { before: cursorOf(idOf(slice[0]!)), after: cursorOf(idOf(slice[slice.length - 1]!)) },
    };
    if (start + limit < items.length) {
      const next = new URL(url.pathname, this.origin);
      for (const [key, value] of url.searchParams) if (key !== 'after') next.searchParams.set(key, value);
      next.searchParams.set('after', cursorOf(idOf(slice[slice.length - 1]!)));
      paging.next = next.toString();
    }
    return { data: slice.map(render), paging };
  }

  private send(
    body: Record<string, unknown>,
  ):
    | { recipient_id: string; message_id: string; attachment_id?: string }
    | { error: { code: number; message: string; subcode?: number; type: string } } {
    const error = (code: number, message: string, subcode?: number) => ({
      error: { code, message, type: 'OAuthException', ...(subcode ? { subcode } : {}) },
    });
    const recipient = asObject(body.recipient);
    const recipientId = typeof recipient?.id === 'string' ? recipient.id : undefined;
    if (!recipientId) return error(100, '(#100) The parameter recipient is required');
    const type = body.messaging_type;
    if (typeof type !== 'string' || !['RESPONSE', 'UPDATE', 'MESSAGE_TAG', 'UTILITY'].includes(type))
      return error(100, '(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG, UTILITY}');
    if (type === 'MESSAGE_TAG' && typeof body.tag !== 'string')
      return error(100, '(#100) Param tag is required when messaging_type is MESSAGE_TAG');
    const message = asObject(body.message);
    const text = message?.text;
    const attachment = asObject(message?.attachment);
    if ((typeof text !== 'string' || text === '') && !attachment)
      return error(100, '(#100) Param message must contain text or an attachment');
    const conversation = this.conversations.find((c) => c.citizen.id === recipientId);
    if (!conversation) return error(100, '(#100) No matching user found', 2018001);
    if (
      typeof text === 'string' &&
      (conversation.platform === 'messenger' ? [...text].length > 2000 : Buffer.byteLength(text) > 1000)
    )
      return error(100, '(#100) Length of param message[text] must be less than or equal to the platform limit');
    const upload = attachment ? this.acceptUpload(attachment, body.filedata, conversation.platform) : undefined;
    if (upload && 'error' in upload) return upload;
    if (this.unreachable.has(recipientId)) return error(551, "(#551) This person isn't available right now.", 1545041);
    const lastInbound = Math.max(
      ...conversation.messages.filter((m) => m.fromId === recipientId).map((m) => m.createdMs),
    );
    const age = Date.now() - lastInbound;
    const tagOk = type === 'MESSAGE_TAG' && body.tag === 'HUMAN_AGENT' && age <= 7 * DAY_MS;
    if (age > DAY_MS && !tagOk) return error(10, '(#10) This message is sent outside of allowed window.', 2018278);
    const sent: FakeMessage = {
      id: messageId(conversation.platform),
      createdMs: Date.now(),
      fromId: this.ownId(conversation.platform),
      ...(typeof text === 'string' && !upload ? { text } : {}),
      ...(upload ? { attachments: [upload.attachment] } : {}),
    };
    conversation.messages.push(sent);
    if (upload) this.uploads.set(upload.attachment.id, upload.bytes);
    return {
      recipient_id: recipientId,
      message_id: sent.id,
      ...(upload ? { attachment_id: upload.attachment.id } : {}),
    };
  }

  /**
   * An attachment uploaded with the message (multipart, the file in `filedata`), checked as Meta does: a known
   * type, a file that is really of that type, Instagram files PDF only, images up to 8 MB, anything up to 25 MB.
   * The Send API answers every such refusal with (#100) "Upload attachment failure" (subcode 2018047).
   */
  private acceptUpload(
    attachment: Record<string, unknown>,
    filedata: unknown,
    platform: Platform,
  ):
    | { attachment: FakeAttachment; bytes: Buffer }
    | { error: { code: number; message: string; subcode: number; type: string } } {
    const failure = (detail: string) => ({
      error: {
        code: 100,
        message: `(#100) Upload attachment failure. ${detail}`,
        subcode: 2018047,
        type: 'OAuthException',
      },
    });
    const kind = attachment.type;
    if (kind !== 'image' && kind !== 'audio' && kind !== 'video' && kind !== 'file')
      return failure('Param message[attachment][type] must be one of {image, audio, video, file, template}');
    if (!isUploadedFile(filedata))
      return failure('No file was uploaded in filedata and no url or attachment_id was given');
    const bytes = filedata.bytes;
    const mb = 1024 * 1024;
    if (bytes.length > (kind === 'image' ? 8 : 25) * mb)
      return failure(`The ${kind} is larger than the ${kind === 'image' ? 8 : 25} MB limit`);
    const isPdf = bytes.subarray(0, 5).toString('latin1') === '%PDF-';
    const isImage =
      (bytes[0] === 0xff && bytes[1] === 0xd8) ||
      bytes.subarray(1, 4).toString('latin1') === 'PNG' ||
      bytes.subarray(0, 4).toString('latin1') === 'GIF8';
    if (kind === 'image' && !isImage) return failure('The provided media type does not match the type of the file');
    if (kind === 'file' && platform === 'instagram' && !isPdf) return failure('Instagram accepts only PDF files');
    const id = digits(16);
    return { attachment: { id, mime_type: filedata.type, name: filedata.name, size: bytes.length, kind }, bytes };
  }

  // ---- JSON shapes ----

  private conversationJson(conversation: FakeConversation, url: URL): Record<string, unknown> {
    const last = conversation.messages[conversation.messages.length - 1];
    return {
      id: conversation.id,
      updated_time: graphTime(last?.createdMs ?? 0),
      message_count: conversation.messages.length,
      unread_count: 0,
      participants: {
        data: [
          this.participant(conversation, conversation.citizen.id),
          this.participant(conversation, this.ownId(conversation.platform)),
        ],
      },
      messages: { edge: conversation, url },
    };
  }

  private messageJson(conversation: FakeConversation, message: FakeMessage): Record<string, unknown> {
    const own = this.ownId(conversation.platform);
    const to = message.fromId === own ? conversation.citizen.id : own;
    return {
      id: message.id,
      created_time: graphTime(message.createdMs),
      from: this.participant(conversation, message.fromId),
      to: { data: [this.participant(conversation, to)] },
      ...(message.text === undefined ? {} : { message: message.text }),
      ...(message.attachments?.length
        ? {
            attachments: {
              data: message.attachments.map((a) => ({
                id: a.id,
                mime_type: a.mime_type,
                name: a.name,
                size: a.size,
                ...(a.kind === 'image'
                  ? {
                      image_data: {
                        url: `${this.origin}/cdn/${a.id}`,
                        preview_url: `${this.origin}/cdn/p/${a.id}`,
                        width: 1280,
                        height: 960,
                      },
                    }
                  : {}),
                ...(a.kind === 'video'
                  ? { video_data: { url: `${this.origin}/cdn/${a.id}`, width: 720, height: 1280 } }
                  : {}),
                ...(a.kind === 'file' ? { file_url: `${this.origin}/cdn/${a.id}` } : {}),
              })),
            },
          }
        : {}),
    };
  }

  private participant(conversation: FakeConversation, id: string): Record<string, string> {
    if (conversation.platform === 'instagram') {
      return {
        username:
          id === this.options.igAccountId ? this.options.igUsername : (conversation.citizen.username ?? `user_${id}`),
        id,
      };
    }
    const name =
      id === this.options.pageId ? this.options.pageName : (conversation.citizen.name ?? 'Pengguna Facebook');
    return { name, email: `${id}@facebook.com`, id };
  }

  private ownId(platform: Platform): string {
    return platform === 'messenger' ? this.options.pageId : this.options.igAccountId;
  }

  private readable(conversation: FakeConversation, message: FakeMessage): boolean {
    if (conversation.platform !== 'instagram') return true;
    return conversation.messages.indexOf(message) >= conversation.messages.length - 20;
  }

  private findMessage(id: string): { conversation: FakeConversation; message: FakeMessage } | undefined {
    for (const conversation of this.conversations) {
      const message = conversation.messages.find((m) => m.id === id);
      if (message) return { conversation, message };
    }
    return undefined;
  }

  private usageHeaders(): Record<string, string> {
    return {
      ...(this.usage?.app ? { 'x-app-usage': JSON.stringify(this.usage.app) } : {}),
      ...(this.usage?.buc ? { 'x-business-use-case-usage': JSON.stringify(this.usage.buc) } : {}),
    };
  }

  /** Renders the nested `messages` edge of a conversation (fields=messages.limit(n){…}). */
  renderEdge(edge: { edge: FakeConversation; url: URL }, spec: FieldSpec): unknown {
    const query: Record<string, string> = { limit: String(spec.limit ?? 25) };
    const edgeUrl = new URL(`/${edge.url.pathname.split('/')[1]}/${edge.edge.id}/messages`, this.origin);
    edgeUrl.searchParams.set('fields', spec.sub ? serializeFields(spec.sub) : 'id,created_time');
    edgeUrl.searchParams.set('limit', query.limit!);
    return this.listMessages(edge.edge, edgeUrl, query, spec.sub);
  }
}

// ---- webhooks ----

/** Meta serialises with non-ASCII escaped as \uXXXX and signs those exact bytes. */
export function metaJson(payload: unknown): string {
  return JSON.stringify(payload).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function hubSignature(body: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** Delivers a webhook notification like Meta does (signed with the app secret unless `signature` overrides it). */
export async function postWebhook(
  url: string,
  payload: unknown,
  appSecret: string,
  options: { signature?: string } = {},
): Promise<{ status: number; body: string; ms: number }> {
  const body = metaJson(payload);
  const started = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': options.signature ?? hubSignature(body, appSecret),
    },
    body,
  });
  return { status: response.status, body: await response.text(), ms: Date.now() - started };
}

// ---- helpers ----

export interface FieldSpec {
  name: string;
  limit?: number;
  sub?: FieldSpec[];
}

/** `id,from,messages.limit(5){id,message},attachments{id,name}` → a tree. */
export function parseFields(raw: string | undefined): FieldSpec[] | undefined {
  if (!raw) return undefined;
  let i = 0;
  const list = (): FieldSpec[] => {
    const specs: FieldSpec[] = [];
    while (i < raw.length && raw[i] !== '}') {
      const match = /^([A-Za-z_]+)(?:\.limit\((\d+)\))?/.exec(raw.slice(i));
      if (!match) throw new Error(`bad fields at ${i}: ${raw}`);
      i += match[0].length;
      const spec: FieldSpec = { name: match[1]!, ...(match[2] ? { limit: Number(match[2]) } : {}) };
      if (raw[i] === '{') {
        i += 1;
        spec.sub = list();
        i += 1;
      }
      specs.push(spec);
      if (raw[i] === ',') i += 1;
    }
    return specs;
  };
  return list();
}

function serializeFields(specs: FieldSpec[]): string {
  return specs
    .map((s) => `${s.name}${s.limit ? `.limit(${s.limit})` : ''}${s.sub ? `{${serializeFields(s.sub)}}` : ''}`)
    .join(',');
}

/** Keeps the requested fields; a field with no data is left out, as Graph does. */
function project(json: Record<string, unknown>, fields: FieldSpec[], fake: FakeGraphServer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of fields) {
    const value = json[spec.name];
    if (value === undefined) continue;
    if (isEdge(value)) {
      out[spec.name] = fake.renderEdge(value, spec);
    } else if (spec.sub && isList(value)) {
      out[spec.name] = {
        ...value,
        data: value.data.map((item) => project(item as Record<string, unknown>, spec.sub!, fake)),
      };
    } else if (spec.sub && typeof value === 'object' && value !== null) {
      out[spec.name] = project(value as Record<string, unknown>, spec.sub, fake);
    } else {
      out[spec.name] = value;
    }
  }
  return out;
}

function isEdge(value: unknown): value is { edge: FakeConversation; url: URL } {
  return typeof value === 'object' && value !== null && 'edge' in value && 'url' in value;
}

function isList(value: unknown): value is { data: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { data?: unknown }).data);
}

function graphError(code: number, message: string, subcode?: number, type = 'OAuthException') {
  return { error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: token(11) } };
}

function defaultMessage(code: number): string {
  switch (code) {
    case 4:
      return '(#4) Application request limit reached';
    case 17:
      return '(#17) User request limit reached';
    case 32:
      return '(#32) Page request limit reached';
    case 613:
      return '(#613) Calls to this api have exceeded the rate limit.';
    case 80006:
      return '(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again.';
    case 1:
      return 'An unknown error occurred';
    case 2:
      return 'An unexpected error has occurred. Please retry your request later.';
    default:
      return `(#${code}) Error`;
  }
}

/** 2026-08-01T10:00:00+0000 */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function lastMs(conversation: FakeConversation): number {
  return conversation.messages[conversation.messages.length - 1]?.createdMs ?? 0;
}

function cursorOf(id: string): string {
  return Buffer.from(`cursor:${id}`).toString('base64url');
}

function messageId(platform: Platform): string {
  return platform === 'messenger' ? `m_${token(40)}` : `aWdfZAG1faXRlbToxOklHTWVzc2FnZAU${token(40)}`;
}

function token(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

function digits(length: number): string {
  return Array.from({ length }, (_, i) =>
    i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10),
  ).join('');
}

function bearer(header: string | undefined): string | undefined {
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header ?? '');
  return match?.[1];
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string') {
    try {
      return asObject(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface UploadedFile {
  name: string;
  type: string;
  size: number;
  bytes: Buffer;
}

function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).bytes);
}

/**
 * JSON bodies (as the SDK sends), form bodies with JSON-encoded sub-objects (as in Meta's curl samples), or
 * multipart forms (the file upload: fields as strings, the file in `filedata`).
 */
async function parseBody(raw: Buffer, contentType: string | undefined): Promise<Record<string, unknown> | undefined> {
  if (raw.length === 0) return {};
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  if (contentType?.includes('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } })
      .formData()
      .catch(() => undefined);
    if (!form) return undefined;
    const fields: Record<string, unknown> = {};
    for (const [name, value] of form.entries()) {
      fields[name] =
        typeof value === 'string'
          ? value
          : { name: value.name, type: value.type, size: value.size, bytes: Buffer.from(await value.arrayBuffer()) };
    }
    return fields;
  }
  return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}
