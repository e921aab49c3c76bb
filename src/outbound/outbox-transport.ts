import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { composeEml } from './eml-bytes';
import { mailOptionsFor } from './email-headers';
import type { OutgoingMessage, Transport } from './message';

/**
 * Writes every outgoing message to a folder instead of sending it: .eml for mail, .json for other
 * channels. Used by the demo and dry runs. The file name is the message id, written atomically (temp
 * file + rename), so a retried delivery never produces a second file.
 *
 * The file calls run on a worker thread, beside the event loop: creating a file in a large folder is
 * slow, and the thread pool needed five round trips per file (access, open, write, close, rename),
 * each costing the event loop more than the message itself. The worker does them in one go per message.
 */
export class OutboxTransport implements Transport {
  private readonly writer = new FileWriterThread();

  constructor(
    private readonly folder: string,
    private readonly from: { address: string; name: string },
  ) {}

  async deliver(message: OutgoingMessage): Promise<string> {
    const isMail = message.to.every((to) => to.includes('@'));
    const file = path.join(this.folder, `${safeName(message.id)}.${isMail ? 'eml' : 'json'}`);
    // Mail is built by nodemailer's composer from the same options as live mail, so the file is what
    // would have been sent (with the CR LF line ends of the wire): quoted-printable text `cat` shows readably.
    const body = !isMail
      ? Buffer.from(JSON.stringify({ ...message, from: this.from.name }, null, 2))
      : await composeEml({ ...mailOptionsFor(message, this.from), newline: '\r\n' });
    const written = await this.writer.write(this.folder, file, `${file}.${process.pid}.tmp`, body);
    return written ? `outbox: ${path.basename(file)}` : `outbox: already written ${path.basename(file)}`;
  }

  async close(): Promise<void> {
    await this.writer.close();
  }
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

interface WriteRequest {
  id: number;
  folder: string;
  file: string;
  temp: string;
  body: Uint8Array;
}
type WriteReply = { id: number; written: boolean } | { id: number; error: { message: string; code?: string } };

/**
 * Runs on the worker: unless `file` exists, writes `temp` and renames it to `file`. Plain JavaScript
 * (eval'd), so it runs the same from dist/ and under ts-jest.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const folders = new Set();
function writeOne(m) {
  try {
    if (fs.existsSync(m.file)) return { id: m.id, written: false };
    if (!folders.has(m.folder)) { fs.mkdirSync(m.folder, { recursive: true, mode: 0o700 }); folders.add(m.folder); }
    fs.writeFileSync(m.temp, m.body, { mode: 0o600 });
    fs.renameSync(m.temp, m.file);
    return { id: m.id, written: true };
  } catch (e) {
    return { id: m.id, error: { message: String((e && e.message) || e), code: e && e.code } };
  }
}
parentPort.on('message', (batch) => parentPort.postMessage(batch.map(writeOne)));
`;

interface WriterState {
  worker: Worker;
  pending: Map<number, { resolve: (written: boolean) => void; reject: (error: Error) => void }>;
  /** Requests of this turn of the event loop, posted together. */
  batch: WriteRequest[];
}

/**
 * One worker thread doing the outbox's file calls. Writes requested in the same turn of the event
 * loop go over in one message and come back in one (every message wakes a thread). Started on first
 * use; it keeps the process alive only while writes are pending (so a caller awaiting a write is never
 * left behind by an exiting process, and an idle transport never holds the process open). If the
 * thread dies, its pending writes are rejected and the next write starts a new one.
 */
class FileWriterThread {
  private current: WriterState | undefined;
  private nextId = 0;

  write(folder: string, file: string, temp: string, body: Uint8Array): Promise<boolean> {
    const state = this.current ?? this.start();
    const id = this.nextId++;
    return new Promise<boolean>((resolve, reject) => {
      if (state.pending.size === 0) state.worker.ref();
      state.pending.set(id, { resolve, reject });
      // A copy of exactly its size, moved rather than cloned (a small Buffer is a view into an 8 KB pool).
      if (state.batch.push({ id, folder, file, temp, body: new Uint8Array(body) }) === 1) {
        setImmediate(() => {
          const batch = state.batch;
          state.batch = [];
          state.worker.postMessage(
            batch,
            batch.map((request) => request.body.buffer as ArrayBuffer),
          );
        });
      }
    });
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current) await current.worker.terminate();
  }

  private start(): WriterState {
    // Its heap only ever holds a few message bodies: a small young generation keeps its RSS down.
    const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    const pending: WriterState['pending'] = new Map();
    worker.unref();
    worker.on('message', (replies: WriteReply[]) => {
      for (const reply of replies) {
        const waiting = pending.get(reply.id);
        if (!waiting) continue;
        pending.delete(reply.id);
        if ('error' in reply)
          waiting.reject(
            Object.assign(new Error(reply.error.message), reply.error.code ? { code: reply.error.code } : {}),
          );
        else waiting.resolve(reply.written);
      }
      if (pending.size === 0) worker.unref();
    });
    const stopped = (reason: string) => {
      if (this.current?.worker === worker) this.current = undefined;
      const waiting = [...pending.values()];
      pending.clear();
      for (const w of waiting) w.reject(new Error(`outbox writer stopped: ${reason}`));
    };
    worker.on('error', (error) => stopped(error instanceof Error ? error.message : String(error)));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    this.current = { worker, pending, batch: [] };
    return this.current;
  }
}
