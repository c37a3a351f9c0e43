export const REDACTED = '<redacted>';

/** Flag or key names whose values are secrets. File and directory PATHS to secrets are fine to show. */
const SECRET_NAME =
  /(token|passw(or)?d|passphrase|(^|[-_])pass$|^pwd$|requirepass|masterauth|secret|api-?key|private-?key|credential|auth(orization)?$|^key$|-key$|_key$|signing-?key|signature$|^sig$)/i;
const PATH_NAME = /(file|path|dir|directory|config|kubeconfig|ttl|name)s?$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !PATH_NAME.test(name);
}

/** Clients that take the password glued to `-p` (`mysql -uroot -phunter2`); elsewhere `-p8080:80` is a port. */
const GLUED_PASSWORD_COMMANDS = /(^|[\s/])(mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlpump|mariadb|mariadb-dump|mariadb-admin)(\s|$)/;

/**
 * Redacts secret values in a command line or free text:
 * `--token=x`, `--token x`, `PASSWORD=x`, `Bearer x`, `Basic x`, JWTs, kubeadm bootstrap tokens,
 * URL query parameters (`?token=x`, `&access_token=x`, `X-Amz-Signature=x`), passwords in URLs
 * (`postgres://user:x@host`), `curl -u user:x` and MySQL's glued `-px`.
 */
export function redactText(text: string): string {
  let out = text.replace(/([?&;])([A-Za-z0-9_.-]+)=([^&\s"'#;]+)/g, (whole, lead: string, name: string) =>
    isSecretName(name) ? `${lead}${name}=${REDACTED}` : whole,
  );
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"']*):([^\s@/"']+)@/gi, (_w, prefix: string) => `${prefix}:${REDACTED}@`);
  out = out.replace(
    /(^|\s)(-u|--user)(=|\s+)([^\s:]+):(\S+)/g,
    (_w, lead: string, flag: string, sep: string, user: string) => `${lead}${flag}${sep}${user}:${REDACTED}`,
  );
  out = out
    .split('\n')
    .map((line) => (GLUED_PASSWORD_COMMANDS.test(line) ? line.replace(/(\s)-p(?!\s|$)(\S+)/g, (_w, lead: string) => `${lead}-p${REDACTED}`) : line))
    .join('\n');
  out = out.replace(/(^|\s)(--?)([A-Za-z0-9][A-Za-z0-9_.-]*)(=|\s+)(\S+)/g, (whole, lead: string, dashes: string, name: string, sep: string, value: string) =>
    isSecretName(name) && isSecretValue(value) ? `${lead}${dashes}${name}${sep}${REDACTED}` : whole,
  );
  out = out.replace(/(^|[\s,;])([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g, (whole, lead: string, name: string, value: string) =>
    isSecretName(name) && isSecretValue(value) ? `${lead}${name}=${REDACTED}` : whole,
  );
  out = out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, (_w, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED);
  out = out.replace(/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, REDACTED);
  return out;
}

/** Paths, booleans and the next flag are not secret values. */
function isSecretValue(value: string): boolean {
  return !value.startsWith('-') && !value.startsWith('/') && !/^(true|false)$/i.test(value) && !value.startsWith(REDACTED);
}

/** Redacts values of secret-looking keys (labels, annotations, env) and secret-looking text in the others. */
export function redactRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    const lastSegment = key.slice(key.lastIndexOf('/') + 1);
    out[key] = isSecretName(lastSegment) ? REDACTED : redactText(value);
  }
  return out;
}

/**
 * Environment variables Kubernetes and the image set for every container; any other value may come
 * from a Secret (`valueFrom.secretKeyRef`), which raw crictl output cannot tell apart, so it is hidden.
 */
const HARMLESS_ENV =
  /^(PATH|HOSTNAME|HOME|TERM|LANG|LC_ALL|container|[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?))$/;

export function redactEnvValue(name: string, value: string): string {
  return HARMLESS_ENV.test(name) ? value : REDACTED;
}

/**
 * Deep redaction of JSON (raw crictl output, verify evidence): container env lists
 * (`"env": ["K=V"]`, `"envs": [{key, value}]`) keep only harmless values, secret-named keys lose
 * their string values, and every other string goes through redactText.
 */
export function redactJson(value: unknown, key = ''): unknown {
  // A field named just "key" names something (a taint, an env var); its sibling "value" is what may be secret.
  if (typeof value === 'string') return isSecretName(key) && key.toLowerCase() !== 'key' && value !== '' ? REDACTED : redactText(value);
  if (Array.isArray(value)) {
    if (key === 'env' && value.every((v) => typeof v === 'string')) {
      return value.map((entry: string) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? entry : `${entry.slice(0, eq)}=${redactEnvValue(entry.slice(0, eq), entry.slice(eq + 1))}`;
      });
    }
    if (key === 'envs') {
      return value.map((entry: unknown) => {
        const pair = entry as { key?: unknown; value?: unknown };
        return typeof pair?.key === 'string' && typeof pair.value === 'string' ? { ...pair, value: redactEnvValue(pair.key, pair.value) } : redactJson(entry);
      });
    }
    return value.map((item) => redactJson(item, key));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v, k.slice(k.lastIndexOf('/') + 1))]));
  }
  return value;
}

/** Raw command output saved by `lab inspect --raw-dir`: JSON is redacted structurally, text line by line. */
export function redactRawOutput(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return `${JSON.stringify(redactJson(JSON.parse(trimmed)), null, 2)}\n`;
    } catch {
      // Not JSON after all: redact as text.
    }
  }
  return redactText(text);
}
