import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isPair, isScalar, parseDocument, visit } from 'yaml';

const SECRET_KEY = /(password|pass|token|secret|apikey|api_key|accesstoken)$/i;

/**
 * Config files that hold a secret written out (not `${ENV}`) and that every user on the machine can
 * read. Admins get told, since the file would leak SMTP, IMAP or Meta credentials.
 */
export function worldReadableSecretFiles(configDir: string): string[] {
  const warnings: string[] = [];
  for (const name of ['default.yaml', 'local.yaml', 'categories.yaml']) {
    const file = path.join(configDir, name);
    let mode: number;
    let text: string;
    try {
      mode = statSync(file).mode;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if ((mode & 0o004) === 0) continue;
    const keys = literalSecretKeys(text);
    if (keys.length)
      warnings.push(
        `${file} is readable by every user and holds secrets (${keys.join(', ')}): chmod 600 it, or use \${ENV_VAR}`,
      );
  }
  return warnings;
}

function literalSecretKeys(text: string): string[] {
  const found: string[] = [];
  visit(parseDocument(text), {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !isScalar(pair.value)) return;
      const key = String(pair.key.value);
      const value = pair.value.value;
      if (SECRET_KEY.test(key) && typeof value === 'string' && value !== '' && !value.includes('${')) found.push(key);
    },
  });
  return found;
}

/**
 * `${NAME}` falls back to the file named by NAME_FILE (Docker/Kubernetes secrets), trailing newline
 * removed. Undefined when NAME_FILE is not set; throws when it is set but cannot be read.
 */
export function secretFromFile(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const file = env[`${name}_FILE`];
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`${name}_FILE names a file that cannot be read (${code})`, { cause: error });
  }
}
