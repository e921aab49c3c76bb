import { createServer } from 'node:net';
import path from 'node:path';
import jsQR from 'jsqr';
import { runIntake, type IntakeOptions } from '../../src/cli/commands/intake';
import type { AppConfig } from '../../src/config/schema';
import { createLogger } from '../../src/lib/logger';
import { SqliteStore } from '../../src/store/sqlite-store';
import { SurveyPageServer } from '../../src/survey/page-server';
import { createTestEnv, type TestEnv } from './service-harness';

/**
 * A walk-in entered with `aduan intake` (the real command function, the real SQLite store) while the survey
 * page of the same store listens on a free loopback port that is also its public base URL, with a clock the
 * test moves.
 */
export interface WalkInReceiptFixture {
  env: TestEnv;
  clock: { now: () => Date; set(at: Date): void };
  /** The store the page reads (the command opens its own). */
  store: SqliteStore;
  intake(options: IntakeOptions, config?: AppConfig): Promise<{ code: number; out: string; err: string }>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startWalkInReceipt(survey: Partial<AppConfig['survey']> = {}): Promise<WalkInReceiptFixture> {
  const port = await freePort();
  const env = createTestEnv((c) => ({
    ...c,
    survey: { ...c.survey, enabled: true, port, publicBaseUrl: `http://127.0.0.1:${port}`, ...survey },
  }));
  const store = new SqliteStore(path.join(env.config.service.dataDir, 'aduan.sqlite'));
  await store.init();
  let now: Date | undefined;
  const clock = { now: () => now ?? new Date(), set: (at: Date) => (now = at) };
  const page = new SurveyPageServer({
    store,
    survey: env.config.survey,
    secret: env.config.staff.replySecret,
    log: createLogger({ level: 'silent' }),
    clock,
  });
  await page.start();
  return {
    env,
    clock,
    store,
    async intake(options, config = env.config) {
      let out = '';
      let err = '';
      const stream = (write: (s: string) => void) =>
        ({ write: (chunk: string) => (write(chunk), true) }) as unknown as NodeJS.WritableStream;
      const code = await runIntake(
        config,
        env.configDir,
        options,
        env.log,
        stream((s) => (out += s)),
        stream((s) => (err += s)),
      );
      return { code, out, err };
    },
    async close() {
      await page.stop();
      await store.close();
      await env.cleanup();
    },
  };
}

/** The survey links printed in a receipt text. */
export function printedLinks(receipt: string): string[] {
  return [...receipt.matchAll(/https?:\/\/\S+\/survei\/[0-9a-z]{13}\b/g)].map((m) => m[0]);
}

/** Reads the QR codes drawn in text with half blocks (▀ ▄ █) back into what they say, with a real decoder. */
export function decodeTerminalQrs(receipt: string): string[] {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const line of receipt.split('\n')) {
    if (/^[ ▀▄█]+$/.test(line) && /[▀▄█]/.test(line)) current.push(line);
    else if (current.length) {
      blocks.push(current);
      current = [];
    }
  }
  if (current.length) blocks.push(current);
  return blocks.map(decodeBlock);
}

function decodeBlock(lines: string[]): string {
  const width = Math.max(...lines.map((l) => [...l].length));
  // Two module rows per line, a quiet zone added around (the printed one may be trimmed by the terminal).
  const rows: boolean[][] = [];
  for (const line of lines) {
    const chars = [...line.padEnd(width, ' ')];
    rows.push(chars.map((c) => c === '▀' || c === '█'));
    rows.push(chars.map((c) => c === '▄' || c === '█'));
  }
  return decodeMatrix(rows);
}

/** A real QR decoder (jsQR) on the modules scaled to pixels: 4 px per module, a 4-module white margin. */
export function decodeMatrix(rows: boolean[][]): string {
  const scale = 4;
  const margin = 4;
  const size = Math.max(rows.length, rows[0]!.length) + 2 * margin;
  const px = size * scale;
  const data = new Uint8ClampedArray(px * px * 4).fill(255);
  rows.forEach((cols, r) =>
    cols.forEach((dark, c) => {
      if (!dark) return;
      for (let y = 0; y < scale; y++)
        for (let x = 0; x < scale; x++) {
          const i = (((r + margin) * scale + y) * px + (c + margin) * scale + x) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
    }),
  );
  const found = jsQR(data, px, px);
  if (!found) throw new Error('no QR code could be read');
  return found.data;
}
