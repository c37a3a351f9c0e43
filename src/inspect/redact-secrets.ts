export const REDACTED = '<redacted>';

/** Flag or key names whose values are secrets. File and directory PATHS to secrets are fine to show. */
const SECRET_NAME = /(token|passw(or)?d|secret|api-?key|private-?key|credential|auth(orization)?$|^key$|-key$|_key$|signing-?key)/i;
const PATH_NAME = /(file|path|dir|directory|config|kubeconfig|ttl|name)s?$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !PATH_NAME.test(name);
}

/**
 * Redacts secret values in a command line or free text:
 * `--token=x`, `--token x`, `PASSWORD=x`, `Bearer x`, `Basic x`, JWTs and kubeadm bootstrap tokens.
 */
export function redactText(text: string): string {
  let out = text.replace(
    /(^|\s)(--?)([A-Za-z0-9][A-Za-z0-9_.-]*)(=|\s+)(\S+)/g,
    (whole, lead: string, dashes: string, name: string, sep: string, value: string) =>
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
  return !value.startsWith('-') && !value.startsWith('/') && !/^(true|false)$/i.test(value) && value !== REDACTED;
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
