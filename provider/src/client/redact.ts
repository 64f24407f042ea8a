const SECRET_QUERY_KEY = /secret|token|password|passwd|api[-_]?key|signature|auth|credential/i;

/** The URL with the values of secret-looking query parameters replaced, safe for messages and logs. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return "[unparseable url]";
  }
  parsed.username = "";
  parsed.password = "";
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY_KEY.test(key)) parsed.searchParams.set(key, "[redacted]");
  }
  return parsed.toString();
}

/** `text` with every occurrence of each (non-trivial) secret replaced by `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; real secrets and tokens are long.
    if (secret && secret.length >= 6) scrubbed = scrubbed.split(secret).join("[redacted]");
  }
  return scrubbed;
}
